//! The one mapping of text values (typed ids, enums: see `wire`) to TEXT columns on both
//! backends. A store declares each type it reads or writes once: `db::text_column!(SessionStatus);`

/// Lets diesel write a `wire::TextValue` to a TEXT column and read it back; an unknown text
/// read back is an error naming the type, not a panic.
#[macro_export]
macro_rules! text_column {
    ($type:ty) => {
        impl diesel::expression::AsExpression<diesel::sql_types::Text> for $type {
            type Expression = <String as diesel::expression::AsExpression<diesel::sql_types::Text>>::Expression;
            fn as_expression(self) -> Self::Expression {
                <String as diesel::expression::AsExpression<diesel::sql_types::Text>>::as_expression(
                    $crate::wire::TextValue::as_text(&self).to_string(),
                )
            }
        }

        impl<'a> diesel::expression::AsExpression<diesel::sql_types::Text> for &'a $type {
            type Expression = <String as diesel::expression::AsExpression<diesel::sql_types::Text>>::Expression;
            fn as_expression(self) -> Self::Expression {
                <String as diesel::expression::AsExpression<diesel::sql_types::Text>>::as_expression(
                    $crate::wire::TextValue::as_text(self).to_string(),
                )
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, $crate::db::MultiBackend> for $type {
            fn from_sql(
                bytes: <$crate::db::MultiBackend as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                let text = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    $crate::db::MultiBackend,
                >>::from_sql(bytes)?;
                <$type as $crate::wire::TextValue>::from_text(&text).ok_or_else(|| {
                    format!("{:?} is not a known {}", text, stringify!($type)).into()
                })
            }
        }

        impl diesel::deserialize::Queryable<diesel::sql_types::Text, $crate::db::MultiBackend> for $type {
            type Row = Self;
            fn build(row: Self) -> diesel::deserialize::Result<Self> {
                Ok(row)
            }
        }
    };
}
