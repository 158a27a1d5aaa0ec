//! The names written by tables and Markdown (`as_str`, `Display`) are the ones JSON uses.

use reqgap::diff::{ChangeClass, Relation};
use reqgap::model::{Confidence, Level, Marker, Provenance, Status};

fn serde_name<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

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
