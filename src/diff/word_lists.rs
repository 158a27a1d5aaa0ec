//! The word lists (sorted stem IDs) of the requirements of both sides of a diff, kept in
//! one list: most requirements of an edition keep their words, and a list of their own
//! for each requirement on each side would cost an allocation, a copy and the memory
//! pages to hold them, for tens of thousands of requirements.

use std::ops::{Index, Range};
use std::sync::Arc;

/// The words of every list, one list after the other, while the sides are prepared.
#[derive(Debug, Default)]
pub(crate) struct WordStore {
    words: Vec<u32>,
}

impl WordStore {
    /// Adds the list that `fill` pushes, and says where it lies.
    pub fn add(&mut self, fill: impl FnOnce(&mut Vec<u32>)) -> Range<usize> {
        let start = self.words.len();
        fill(&mut self.words);
        start..self.words.len()
    }

    /// The words of one list, to renumber and sort them in place.
    pub fn list_mut(&mut self, span: Range<usize>) -> &mut [u32] {
        &mut self.words[span]
    }

    pub fn list(&self, span: Range<usize>) -> &[u32] {
        &self.words[span]
    }

    /// The finished store, shared by the lists of both sides.
    pub fn share(self) -> Arc<Vec<u32>> {
        Arc::new(self.words)
    }
}

/// The word lists of one side's requirements, by index: stretches of a store that both
/// sides share, so that a requirement whose words the other side already holds points at
/// those.
#[derive(Clone, Debug)]
pub(crate) struct WordLists {
    store: Arc<Vec<u32>>,
    spans: Vec<Range<usize>>,
}

impl WordLists {
    pub fn new(store: &Arc<Vec<u32>>, spans: Vec<Range<usize>>) -> WordLists {
        WordLists {
            store: Arc::clone(store),
            spans,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &[u32]> + '_ {
        self.spans.iter().map(|span| &self.store[span.clone()])
    }
}

impl Index<usize> for WordLists {
    type Output = [u32];

    fn index(&self, index: usize) -> &[u32] {
        &self.store[self.spans[index].clone()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_back_as_added_and_share_spans() {
        let mut store = WordStore::default();
        let first = store.add(|out| out.extend([3, 1, 2]));
        let empty = store.add(|_| {});
        let second = store.add(|out| out.push(7));
        store.list_mut(first.clone()).sort_unstable();
        let store = store.share();
        let lists = WordLists::new(&store, vec![first.clone(), empty, second, first]);
        assert_eq!(&lists[0], [1, 2, 3]);
        assert!(lists[1].is_empty());
        assert_eq!(&lists[2], [7]);
        assert_eq!(
            lists.iter().collect::<Vec<_>>(),
            [&[1, 2, 3][..], &[], &[7], &[1, 2, 3]]
        );
    }
}
