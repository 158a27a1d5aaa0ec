//! Every variant of every enum named with `enum_names!` is written as serde writes it.
//! Here, in the top layer, because it names enums of every layer.

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
        crate::model::transition::Caution,
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
