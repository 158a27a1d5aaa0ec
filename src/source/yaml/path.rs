//! A path into a YAML document, built one step at a time.

use std::ops::Deref;

use super::Step;

/// Steps a [`YamlPath`] holds; reqgap's own files nest six levels at most.
const MAX_STEPS: usize = 8;

/// A path into a YAML document for locating a finding at the node it is about:
/// `YamlPath::root().key("controls").index(2).key("id")`. Each step returns a new path, so a
/// loop builds its item's path once and names each field from it; the path lives on the
/// stack (no allocation per located field) and derefs to the `[Step]` slice that the
/// position index takes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct YamlPath<'a> {
    steps: [Step<'a>; MAX_STEPS],
    len: usize,
}

impl<'a> YamlPath<'a> {
    /// The document itself.
    pub(crate) fn root() -> Self {
        YamlPath {
            steps: [Step::Index(0); MAX_STEPS],
            len: 0,
        }
    }

    /// This path, then the value of mapping key `key`.
    pub(crate) fn key(self, key: &'a str) -> Self {
        self.then(Step::Key(key))
    }

    /// This path, then item `index` of a sequence.
    pub(crate) fn index(self, index: usize) -> Self {
        self.then(Step::Index(index))
    }

    /// A step past [`MAX_STEPS`] is dropped: the path then names an ancestor, which is
    /// where the position index's nearest-node lookup lands for a node it cannot find.
    fn then(mut self, step: Step<'a>) -> Self {
        if let Some(slot) = self.steps.get_mut(self.len) {
            *slot = step;
            self.len += 1;
        }
        self
    }
}

impl<'a> Deref for YamlPath<'a> {
    type Target = [Step<'a>];

    fn deref(&self) -> &[Step<'a>] {
        &self.steps[..self.len]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_follow_the_calls_and_branches_do_not_share_them() {
        let control = YamlPath::root().key("controls").index(2);
        let id = control.key("id");
        let owner = control.key("owner");
        assert_eq!(
            &*id,
            &[Step::Key("controls"), Step::Index(2), Step::Key("id")]
        );
        assert_eq!(
            &*owner,
            &[Step::Key("controls"), Step::Index(2), Step::Key("owner")]
        );
        assert!(YamlPath::root().is_empty());
    }

    #[test]
    fn a_path_deeper_than_the_limit_names_its_ancestor() {
        let mut path = YamlPath::root();
        for i in 0..MAX_STEPS + 3 {
            path = path.index(i);
        }
        assert_eq!(path.len(), MAX_STEPS);
        assert_eq!(path[MAX_STEPS - 1], Step::Index(MAX_STEPS - 1));
    }
}
