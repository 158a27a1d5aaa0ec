//! Lists of items per requirement (its candidates, its linked partners), all in one
//! allocation: most requirements have a handful of items or none, and a `Vec` of their own
//! each would cost more to grow and free than the items cost to read.

use std::ops::Index;

/// One list per index `0..len`, each in the order its entries were given.
#[derive(Debug)]
pub(crate) struct Lists<T> {
    /// Where each list starts in `items` (one more entry than lists).
    start: Vec<usize>,
    items: Vec<T>,
}

impl<T: Copy> Lists<T> {
    /// The lists of `entries`, each `(index, item)` (every index below `len`).
    pub fn new(len: usize, entries: impl Iterator<Item = (usize, T)> + Clone) -> Lists<T> {
        let mut start = vec![0; len + 1];
        for (index, _) in entries.clone() {
            start[index + 1] += 1;
        }
        for i in 0..len {
            start[i + 1] += start[i];
        }
        let mut next = start.clone();
        let mut slots: Vec<Option<T>> = vec![None; start[len]];
        for (index, item) in entries {
            slots[next[index]] = Some(item);
            next[index] += 1;
        }
        Lists {
            start,
            items: slots.into_iter().flatten().collect(),
        }
    }

    /// Sorts each list on its own, stably.
    pub fn sort_each_by(&mut self, mut order: impl FnMut(&T, &T) -> std::cmp::Ordering) {
        for bounds in self.start.windows(2) {
            self.items[bounds[0]..bounds[1]].sort_by(&mut order);
        }
    }
}

impl<T> Index<usize> for Lists<T> {
    type Output = [T];

    fn index(&self, index: usize) -> &[T] {
        &self.items[self.start[index]..self.start[index + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_hold_what_vecs_per_index_would() {
        let entries = [(2, 'a'), (0, 'b'), (2, 'c'), (3, 'd'), (0, 'e'), (2, 'f')];
        let lists = Lists::new(5, entries.iter().copied());
        let mut vecs: Vec<Vec<char>> = vec![Vec::new(); 5];
        for (index, item) in entries {
            vecs[index].push(item);
        }
        for (index, vec) in vecs.iter().enumerate() {
            assert_eq!(&lists[index], vec.as_slice(), "list {index}");
        }
        let mut sorted = Lists::new(5, entries.iter().copied());
        sorted.sort_each_by(|a, b| b.cmp(a));
        assert_eq!(&sorted[2], ['f', 'c', 'a']);
        assert!(sorted[4].is_empty());
    }
}
