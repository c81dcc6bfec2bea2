use super::*;

fn room_input() -> RoomInput {
    RoomInput {
        name: Field::Value("  Room A ".into()),
        location: Field::Value("ITU tower".into()),
        capacity: Field::Value(40),
        features: Field::Value(vec![
            "step_free_access".into(),
            "interpretation_booths".into(),
            "step_free_access".into(),
        ]),
    }
}

#[test]
fn a_new_room_is_trimmed_and_lists_each_feature_once_in_display_order() {
    let room = room_input().apply(RoomId::from("r"), None).unwrap();
    assert_eq!(room.name, "Room A");
    assert_eq!(
        room.features,
        [Feature::InterpretationBooths, Feature::StepFreeAccess]
    );
}

#[test]
fn a_room_with_bad_fields_names_every_one_and_the_known_features() {
    let input = RoomInput {
        name: Field::Value(String::new()),
        capacity: Field::Invalid("expected i64, got a string".into()),
        features: Field::Value(vec!["sauna".into()]),
        ..RoomInput::default()
    };
    let Err(Invalid(errors)) = input.apply(RoomId::from("r"), None) else {
        panic!("expected Invalid")
    };
    let named: Vec<&String> = errors.keys().collect();
    assert_eq!(named, ["capacity", "features", "location", "name"]);
    assert!(errors["features"][0].contains("interpretation_booths, video_conferencing"));
}

#[test]
fn patching_a_room_keeps_what_the_patch_leaves_out() {
    let room = room_input().apply(RoomId::from("r"), None).unwrap();
    let patch = RoomInput {
        capacity: Field::Value(60),
        ..RoomInput::default()
    };
    let patched = patch.apply(RoomId::from("ignored"), Some(&room)).unwrap();
    assert_eq!(patched.capacity, 60);
    assert_eq!(patched.id, room.id);
    assert_eq!(patched.features, room.features);
}

#[test]
fn an_unknown_equipment_kind_names_the_kinds_there_are() {
    let input = EquipmentInput {
        name: Field::Value("Beamer".into()),
        kind: Field::Value("hologram".into()),
        quantity: Field::Value(-1),
    };
    let Err(Invalid(errors)) = input.apply(EquipmentId::from("e"), None) else {
        panic!("expected Invalid")
    };
    assert!(errors["kind"][0].contains("projector, microphone"));
    assert!(errors["quantity"][0].contains("between 0 and 100000"));
}
