//! Real edition pairs whose licence keeps them out of the repository: OWASP ASVS and BSI
//! Grundschutz++ are CC BY-SA 4.0, which the repository does not take. `diff_eval` scores
//! them when it is pointed at the user's own copy; this module reads those copies and the
//! truth each publisher gives.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use reqgap::import::csv::{ColumnMap, CsvOptions};
use reqgap::import::{csv, oscal, HeaderOverrides};
use reqgap::model::Catalog;

/// OWASP's own account of where each 4.0.3 requirement went in 5.0.0, as pairs
/// (4.0.3 ID, 5.0.0 ID) per kind of move.
pub struct AsvsTruth {
    pub moved: BTreeSet<(String, String)>,
    pub split: BTreeSet<(String, String)>,
    pub merged: BTreeSet<(String, String)>,
    /// Deleted requirements whose content another one covers (`COVERED BY`,
    /// `DEPRECATED BY`): a pair to them is not wrong, but not asked for either.
    pub covered: BTreeSet<(String, String)>,
}

impl AsvsTruth {
    /// Every pair OWASP names, of any kind.
    pub fn all(&self) -> BTreeSet<&(String, String)> {
        [&self.moved, &self.split, &self.merged, &self.covered]
            .into_iter()
            .flatten()
            .collect()
    }
}

/// ASVS 4.0.3 and 5.0.0 from a checkout of `github.com/OWASP/ASVS`, imported the way
/// docs/import.md shows, and OWASP's mapping between them.
pub fn asvs(checkout: &Path) -> (Catalog, Catalog, AsvsTruth) {
    let old = asvs_catalog(
        &checkout.join("4.0/docs_en/OWASP Application Security Verification Standard 4.0.3-en.csv"),
        "4.0.3",
        "2021-10-28",
    );
    let new = asvs_catalog(
        &checkout.join("5.0/docs_en/OWASP_Application_Security_Verification_Standard_5.0.0_en.csv"),
        "5.0.0",
        "2025-05-30",
    );
    let mapping = checkout.join("5.0/mappings/mapping_v4.0.3_to_v5.0.0.yml");
    let text = std::fs::read_to_string(&mapping)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", mapping.display()));
    (old, new, asvs_truth(&text))
}

fn asvs_catalog(path: &Path, version: &str, published: &str) -> Catalog {
    let file = reqgap::source::read_text(path).unwrap_or_else(|e| panic!("{e}"));
    let options = CsvOptions {
        columns: ColumnMap::parse(&[
            "id=req_id,section=section_id,section-title=section_name,text=req_description"
                .to_owned(),
        ])
        .expect("column map"),
        header: HeaderOverrides {
            standard: Some("owasp-asvs".to_owned()),
            version: Some(version.to_owned()),
            published: published.parse().ok(),
            ..HeaderOverrides::default()
        },
        withdrawn_pattern: Some("[DELETED*".to_owned()),
    };
    csv::import(&file, &options)
        .unwrap_or_else(|e| panic!("the CSV importer refused {}: {e:?}", path.display()))
        .catalog
}

/// Reads OWASP's mapping file: one `v4.0.3-1.2.4:` key per requirement, with a line
/// `tag-v5.0.0: MODIFIED, MOVED TO v5.0.0-6.1.3, SPLIT TO v5.0.0-6.3.4` under it. A long
/// fate is folded onto more indented lines (`SPLIT TO v5.0.0-11.3.1, v5.0.0-11.3.2,` and
/// `v5.0.0-11.3.3, …` on the next), which belong to it.
fn asvs_truth(text: &str) -> AsvsTruth {
    let mut truth = AsvsTruth {
        moved: BTreeSet::new(),
        split: BTreeSet::new(),
        merged: BTreeSet::new(),
        covered: BTreeSet::new(),
    };
    let mut fates: Vec<(String, String)> = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(key) = line.strip_prefix("v4.0.3-") {
            current = key.strip_suffix(':').map(|n| format!("V{n}"));
            continue;
        }
        let Some(old) = &current else { continue };
        let trimmed = line.trim();
        if let Some(fate) = trimmed.strip_prefix("tag-v5.0.0:") {
            fates.push((old.clone(), fate.to_owned()));
        } else if let Some((owner, fate)) = fates.last_mut() {
            let folded = line.starts_with(' ') && !trimmed.is_empty() && !trimmed.contains(':');
            if folded && owner == old {
                fate.push(' ');
                fate.push_str(trimmed);
            }
        }
    }
    for (old, fate) in fates {
        // `DEPRECATED BY` names a requirement that covers the deleted one, as `COVERED BY`
        // does.
        let fate = fate.replace("DEPRECATED BY", "COVERED BY");
        for (keyword, into) in [
            ("MOVED TO", &mut truth.moved),
            ("SPLIT TO", &mut truth.split),
            ("MERGED TO", &mut truth.merged),
            ("COVERED BY", &mut truth.covered),
        ] {
            let Some((_, rest)) = fate.split_once(keyword) else {
                continue;
            };
            let targets = rest
                .split(',')
                .map(str::trim)
                .map_while(|t| t.strip_prefix("v5.0.0-"));
            into.extend(targets.map(|n| (old.clone(), format!("V{n}"))));
        }
    }
    truth
}

/// One release of the BSI Grundschutz++ Kernel catalog (OSCAL JSON) and the stable UUID
/// BSI gives each control (`alt-identifier`), by control ID.
pub fn bsi_release(path: &Path) -> (Catalog, BTreeMap<String, String>) {
    let file = reqgap::source::read_text(path).unwrap_or_else(|e| panic!("{e}"));
    let json: serde_json::Value = serde_json::from_str(&file.text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    // BSI's `version` is `1.0` in several releases, or a timestamp: the day of the
    // release names it.
    let released = json["catalog"]["metadata"]["last-modified"]
        .as_str()
        .and_then(|stamp| stamp.get(..10))
        .map(str::to_owned);
    let options = oscal::OscalOptions {
        header: HeaderOverrides {
            version: released,
            ..HeaderOverrides::default()
        },
        ..oscal::OscalOptions::default()
    };
    let catalog = oscal::import(&file, &options)
        .unwrap_or_else(|e| panic!("the OSCAL importer refused {}: {e:?}", path.display()))
        .catalog;
    let mut uuids = BTreeMap::new();
    collect_alt_identifiers(&json["catalog"], &mut uuids);
    (catalog, uuids)
}

fn collect_alt_identifiers(node: &serde_json::Value, into: &mut BTreeMap<String, String>) {
    for control in node["controls"].as_array().into_iter().flatten() {
        let uuid = control["props"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == "alt-identifier")
            .and_then(|p| p["value"].as_str());
        if let (Some(id), Some(uuid)) = (control["id"].as_str(), uuid) {
            into.insert(id.to_owned(), uuid.to_owned());
        }
        collect_alt_identifiers(control, into);
    }
    for group in node["groups"].as_array().into_iter().flatten() {
        collect_alt_identifiers(group, into);
    }
}
