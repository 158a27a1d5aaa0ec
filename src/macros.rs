//! Small macros shared by the model's enums.

/// The stable kebab-case name of each variant (`as_str`) and a `Display` that writes it.
/// The names are those serde uses, so text output and JSON agree.
macro_rules! enum_names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// The variant's stable kebab-case name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)+
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::diff::{ChangeClass, Relation};
    use crate::model::{Confidence, Level, Marker, Provenance, Status};

    fn serde_name<T: serde::Serialize>(value: T) -> String {
        serde_json::to_value(value)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The names written by tables and Markdown are the ones JSON uses.
    #[test]
    fn names_match_serde() {
        for level in [Level::Shall, Level::Should, Level::May, Level::Informative] {
            assert_eq!(level.as_str(), serde_name(level));
        }
        for marker in [Marker::Conditional, Marker::Choice, Marker::Proportionate] {
            assert_eq!(marker.to_string(), serde_name(marker));
        }
        assert_eq!(Status::Withdrawn.as_str(), serde_name(Status::Withdrawn));
        assert_eq!(
            Provenance::Reconstructed.as_str(),
            serde_name(Provenance::Reconstructed)
        );
        assert_eq!(
            Confidence::Inferred.as_str(),
            serde_name(Confidence::Inferred)
        );
        for class in ChangeClass::ALL {
            assert_eq!(class.as_str(), serde_name(class));
        }
        assert_eq!(
            Relation::IntersectsWith.as_str(),
            serde_name(Relation::IntersectsWith)
        );
    }
}
