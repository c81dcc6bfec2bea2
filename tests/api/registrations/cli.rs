//! `seminars countries import FILE`.

use std::process::Command;

#[test]
fn the_countries_import_command_loads_a_list_and_names_the_line_of_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let run = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_seminars"))
            .args(["countries", "import", "--yes"])
            .arg(file)
            .env("SEMINARS__DATABASE__URL", &url)
            .output()
            .unwrap()
    };
    let good = dir.path().join("good.csv");
    let csv = include_str!("../../../data/reference/countries.csv")
        .replace("NP,NPL,Nepal,ldc", "NP,NPL,Nepal,developing");
    std::fs::write(&good, csv).unwrap();
    let output = run(&good);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("249 countries imported") && stdout.contains("NP: ldc → developing"),
        "{stdout}"
    );
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "alpha2,alpha3,name,group\nJP,JPN,Japan,developed\nKE,KEN,Kenya\n",
    )
    .unwrap();
    let output = run(&bad);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("line 3"), "{stderr}");
}
