//! The two sides of a diff, prepared for matching: active requirements in natural ID
//! order (so every index-based tie-break is independent of file order) and their words as
//! sorted IDs from one vocabulary numbered in word order (so that, too, is canonical).

use std::collections::HashMap;

use super::order::natural_key;
use super::text::words;
use crate::model::{Catalog, Requirement};

pub(crate) struct Side<'a> {
    pub catalog: &'a Catalog,
    pub requirements: Vec<&'a Requirement>,
    /// Sorted word IDs (a multiset) of each requirement's text.
    pub tokens: Vec<Vec<u32>>,
    index_of: HashMap<&'a str, usize>,
}

impl<'a> Side<'a> {
    pub fn index(&self, id: &str) -> Option<usize> {
        self.index_of.get(id).copied()
    }

    pub fn len(&self) -> usize {
        self.requirements.len()
    }

    pub fn id(&self, index: usize) -> &'a str {
        self.requirements[index].id.as_str()
    }
}

/// Prepares both sides with one shared vocabulary.
pub(crate) fn prepare<'a>(old: &'a Catalog, new: &'a Catalog) -> (Side<'a>, Side<'a>, usize) {
    let mut vocabulary: HashMap<String, u32> = HashMap::new();
    let mut old_side = side(old, &mut vocabulary);
    let mut new_side = side(new, &mut vocabulary);
    // Renumber words in lexical order: the IDs then carry no trace of file order.
    let mut by_word: Vec<(&String, u32)> = vocabulary.iter().map(|(w, id)| (w, *id)).collect();
    by_word.sort_unstable();
    let mut rank = vec![0u32; by_word.len()];
    for (position, (_, id)) in by_word.iter().enumerate() {
        rank[*id as usize] = position as u32;
    }
    for tokens in old_side.tokens.iter_mut().chain(new_side.tokens.iter_mut()) {
        for token in tokens.iter_mut() {
            *token = rank[*token as usize];
        }
        tokens.sort_unstable();
    }
    (old_side, new_side, vocabulary.len())
}

fn side<'a>(catalog: &'a Catalog, vocabulary: &mut HashMap<String, u32>) -> Side<'a> {
    let mut requirements: Vec<&Requirement> = catalog.active_requirements().collect();
    requirements.sort_by_cached_key(|r| {
        let r: &'a Requirement = r;
        natural_key(r.id.as_str())
    });
    let tokens = requirements
        .iter()
        .map(|r| {
            words(&r.text)
                .map(|w| match vocabulary.get(w.as_ref()) {
                    Some(id) => *id,
                    None => {
                        let next = vocabulary.len() as u32;
                        vocabulary.insert(w.into_owned(), next);
                        next
                    }
                })
                .collect()
        })
        .collect();
    let index_of = requirements
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    Side {
        catalog,
        requirements,
        tokens,
        index_of,
    }
}
