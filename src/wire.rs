//! Values as they travel and are stored: typed ids and enums written as text. Pure: domain
//! modules declare their ids and enums with these macros; `db::text_column!` in a store lets
//! diesel read and write them.

/// What a value written as text offers: its text, and reading it back.
pub trait TextValue: Sized {
    /// The stored and wire text.
    fn as_text(&self) -> &str;
    /// The value a text names, if any.
    fn from_text(text: &str) -> Option<Self>;
}

/// Declares a typed id: a lower-case hyphenated UUID in a newtype, so a `SessionId` is never
/// passed where a `RoomId` is meant. `typed_id!(/** A session's id. */ SessionId);`
#[macro_export]
macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A new random id.
            pub fn random() -> $name {
                $name(uuid::Uuid::new_v4().to_string())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> $name {
                $name(text)
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> $name {
                $name(text.to_string())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl $crate::wire::TextValue for $name {
            fn as_text(&self) -> &str {
                &self.0
            }
            fn from_text(text: &str) -> Option<$name> {
                Some($name(text.to_string()))
            }
        }

        impl<'s> utoipa::ToSchema for $name {}
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                <String as utoipa::PartialSchema>::schema()
            }
        }
    };
}

/// Declares an enum written as text, with `as_str`, `parse`, `ALL`, serde and OpenAPI:
/// `text_enum! { /** Where a session is. */ SessionStatus { Draft = "draft", Scheduled = "scheduled" } }`
#[macro_export]
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }

        // Written by hand: the derive does not see a `rename` given through a macro and would
        // document the variant names instead of the wire names.
        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and wire name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Reads a stored or wire name.
            pub fn parse(name: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::wire::TextValue for $name {
            fn as_text(&self) -> &str {
                self.as_str()
            }
            fn from_text(text: &str) -> Option<$name> {
                $name::parse(text)
            }
        }
    };
}
