//! Small macros shared by the model's enums.

/// The stable kebab-case name of each variant (`as_str`), a `Display` that writes it, and
/// `VARIANTS`, every variant in declaration order. The names are those serde uses, so text
/// output and JSON agree (`tests/enum_names.rs` checks every variant).
macro_rules! enum_names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every variant, in declaration order.
            pub const VARIANTS: &'static [$ty] = &[$($ty::$variant),+];

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
    /// The name serde writes for a unit variant.
    fn serde_name<T: serde::Serialize>(value: &T) -> String {
        serde_json::to_value(value)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    macro_rules! assert_names_match_serde {
        ($($ty:path),+ $(,)?) => {$(
            for variant in <$ty>::VARIANTS {
                assert_eq!(
                    variant.as_str(),
                    serde_name(variant),
                    "{}::{variant:?}",
                    stringify!($ty)
                );
            }
        )+};
    }

    /// Tables and Markdown write `as_str`, JSON writes serde's name: every variant of every
    /// named enum must agree, or the same finding reads differently in two formats.
    #[test]
    fn every_variant_is_named_as_serde_names_it() {
        assert_names_match_serde!(
            crate::model::inventory::ControlStatus,
            crate::model::catalog::Provenance,
            crate::model::catalog::Confidence,
            crate::model::catalog::Level,
            crate::model::catalog::Marker,
            crate::model::catalog::Status,
            crate::model::gap::Severity,
            crate::model::transition::Relation,
            crate::gaps::coverage::How,
            crate::gaps::EditionChange,
            crate::gaps::GapStatus,
            crate::gaps::CoverageState,
            crate::diag::Severity,
            crate::diff::model::ChangeClass,
            crate::diff::model::MatchKind,
            crate::diff::model::Edit,
            crate::diff::model::Reason,
            crate::diff::model::SectionClass,
            crate::check::Outcome,
        );
    }
}
