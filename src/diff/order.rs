//! Natural order for requirement and section IDs: `REQ-7.9-2` before `REQ-7.10-1`, so
//! reports read in document order whatever order the files list requirements in.

use std::cmp::Ordering;

/// Compares runs of digits as numbers and everything else as text; equal-looking IDs
/// (`01` and `1`) fall back to plain text order, so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    // The chunks before the first differing byte are alike on both sides: comparing
    // starts at the chunk that holds it (a chunk boundary is a change between ASCII
    // digit and anything else, so it never falls inside a character).
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let same = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    if same == x.len() && same == y.len() {
        return Ordering::Equal;
    }
    let mut start = same;
    if let Some(last) = same.checked_sub(1) {
        let digit = x[last].is_ascii_digit();
        while start > 0 && x[start - 1].is_ascii_digit() == digit {
            start -= 1;
        }
    }
    let mut left = chunks(&a[start..]);
    let mut right = chunks(&b[start..]);
    loop {
        match (left.next(), right.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = compare_chunk(x, y);
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

/// One chunk of an ID as [`natural_key`] orders it: digit runs (by length without leading
/// zeros, then digits) before text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NaturalPart<'a> {
    Number(usize, &'a str),
    Text(&'a str),
}

/// A sort key that orders like [`natural_cmp`], for `sort_by_cached_key`.
pub fn natural_key(s: &str) -> (Vec<NaturalPart<'_>>, &str) {
    let parts = chunks(s)
        .map(|chunk| {
            if chunk.bytes().all(|b| b.is_ascii_digit()) {
                let digits = chunk.trim_start_matches('0');
                NaturalPart::Number(digits.len(), digits)
            } else {
                NaturalPart::Text(chunk)
            }
        })
        .collect();
    (parts, s)
}

/// Sorts `items` in the natural order of their IDs, stably (equal IDs keep their order).
/// Each ID is first reduced to sixteen bytes that order as the ID does as far as they go
/// ([`natural_prefix`]): most comparisons are then of two numbers lying side by side in one
/// list, and only IDs whose prefixes agree are read again. Sorting by [`natural_key`] reads
/// every ID, spread over memory, at every comparison.
pub fn sort_naturally<T: Copy>(items: &mut Vec<T>, id: impl Fn(&T) -> &str) {
    let mut keyed: Vec<(u128, usize)> = items
        .iter()
        .enumerate()
        .map(|(index, item)| (natural_prefix(id(item)), index))
        .collect();
    keyed.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| natural_cmp(id(&items[a.1]), id(&items[b.1])))
            .then(a.1.cmp(&b.1))
    });
    *items = keyed.into_iter().map(|(_, index)| items[index]).collect();
}

/// The first sixteen bytes of an encoding of `id` whose byte order is the natural order
/// ([`natural_key`], without its last tie-break on the text): each digit run as a marker,
/// its length without leading zeros and those digits; each other run as a marker and its
/// bytes, a zero byte written as zero and one, ended by two zeros; the end of the ID as a
/// zero. Read as a big-endian number, two prefixes compare as the IDs do wherever they
/// differ; equal prefixes say nothing.
fn natural_prefix(id: &str) -> u128 {
    const NUMBER: u8 = 1;
    const TEXT: u8 = 2;
    let mut prefix = [0u8; 16];
    let mut at = 0;
    let mut put = |byte: u8| {
        if let Some(slot) = prefix.get_mut(at) {
            *slot = byte;
            at += 1;
        }
    };
    for chunk in chunks(id) {
        if chunk.as_bytes()[0].is_ascii_digit() {
            let digits = chunk.trim_start_matches('0');
            // A length of 255 or more ends the prefix at its marker: the rest stays zero,
            // so two such IDs compare equal from there and are read again.
            let len = u8::try_from(digits.len()).unwrap_or(u8::MAX);
            put(NUMBER);
            put(len);
            if len == u8::MAX {
                break;
            }
            digits.bytes().for_each(&mut put);
        } else {
            put(TEXT);
            for byte in chunk.bytes() {
                put(byte);
                if byte == 0 {
                    put(1);
                }
            }
            put(0);
            put(0);
        }
    }
    u128::from_be_bytes(prefix)
}

fn compare_chunk(x: &str, y: &str) -> Ordering {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match (digits(x), digits(y)) {
        (true, true) => {
            let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
            x.len().cmp(&y.len()).then_with(|| x.cmp(y))
        }
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => x.cmp(y),
    }
}

/// Splits into alternating runs of ASCII digits and of other characters (read as bytes:
/// no byte of a longer character is an ASCII digit, so the runs end where they would).
fn chunks(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let is_digit = rest.as_bytes().first()?.is_ascii_digit();
        let end = rest
            .bytes()
            .position(|b| b.is_ascii_digit() != is_digit)
            .unwrap_or(rest.len());
        let (chunk, tail) = rest.split_at(end);
        rest = tail;
        Some(chunk)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_as_numbers() {
        let mut ids = vec![
            "REQ-7.10-01",
            "REQ-7.9-02",
            "REQ-7.9-10",
            "PRO-7.2-10",
            "REQ-7.9.1-01",
        ];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            ids,
            [
                "PRO-7.2-10",
                "REQ-7.9-02",
                "REQ-7.9-10",
                "REQ-7.9.1-01",
                "REQ-7.10-01"
            ]
        );
        assert_eq!(natural_cmp("a1", "a01"), "a1".cmp("a01"));
        assert_eq!(natural_cmp("R-0109", "R-011"), Ordering::Greater);
        assert_eq!(natural_cmp("R-19", "R-100"), Ordering::Less);
        assert_eq!(natural_cmp("A-1é", "A-1è"), "A-1é".cmp("A-1è"));
        assert_eq!(natural_cmp("A-12", "A-12a"), Ordering::Less);
        assert_eq!(natural_cmp("A-12", "A-12"), Ordering::Equal);
        let mut keyed = ids.clone();
        keyed.reverse();
        keyed.sort_by_cached_key(|id| natural_key(id));
        assert_eq!(keyed, ids, "natural_key orders like natural_cmp");
    }

    proptest::proptest! {
        /// IDs built from the pieces where the prefix encoding has its edges: digit runs
        /// with and without leading zeros, separators, case, a zero byte, a non-ASCII
        /// letter, and runs long enough to pass the sixteen bytes.
        #[test]
        fn sorting_by_prefix_is_sorting_by_natural_key_on_generated_ids(
            ids in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "0", "00", "1", "01", "9", "10", "255", "999999999999", "-", ".",
                        "a", "A", "b", "REQ", "\0", "\u{e9}", "x-very-long-run-",
                    ]),
                    0..8,
                ),
                0..24,
            )
        ) {
            let ids: Vec<String> = ids.into_iter().map(|pieces| pieces.concat()).collect();
            let mut expected: Vec<(usize, &str)> =
                ids.iter().map(String::as_str).enumerate().collect();
            expected.sort_by_cached_key(|(_, id)| natural_key(id));
            let mut sorted: Vec<(usize, &str)> =
                ids.iter().map(String::as_str).enumerate().collect();
            sort_naturally(&mut sorted, |(_, id)| id);
            proptest::prop_assert_eq!(sorted, expected);
        }
    }

    #[test]
    fn sorting_by_prefix_is_sorting_by_natural_key() {
        let long_run = "9".repeat(300);
        let mut ids: Vec<String> = vec![
            "".into(),
            "A".into(),
            "A\0".into(),
            "A\0B".into(),
            "A-1".into(),
            "A-01".into(),
            "A-001".into(),
            "a-1".into(),
            "A-1a".into(),
            "A-1\u{e9}".into(),
            "A-10".into(),
            "A-9".into(),
            "REQ-7.10-01".into(),
            "REQ-7.9-02".into(),
            "REQ-7.9.1-01".into(),
            "a-very-long-identifier-sharing-its-first-sixteen-bytes-1".into(),
            "a-very-long-identifier-sharing-its-first-sixteen-bytes-2".into(),
            "a-very-long-identifier-sharing-its-first-sixteen-bytes-10".into(),
            format!("N-{long_run}"),
            format!("N-{long_run}1"),
            format!("N-1{long_run}"),
            format!("N-{long_run}-2"),
            format!("N-{long_run}-10"),
            "N-".to_owned() + &"1".repeat(254),
            "N-".to_owned() + &"2".repeat(254),
            "12".into(),
            "012".into(),
            "x".into(),
        ];
        // Every ID twice, so that equal IDs show whether their order is kept.
        let twice: Vec<String> = ids.iter().chain(ids.iter()).cloned().collect();
        ids = twice.into_iter().rev().collect();
        let mut expected: Vec<(usize, &str)> = ids.iter().map(String::as_str).enumerate().collect();
        expected.sort_by_cached_key(|(_, id)| natural_key(id));
        let mut sorted: Vec<(usize, &str)> = ids.iter().map(String::as_str).enumerate().collect();
        sort_naturally(&mut sorted, |(_, id)| id);
        assert_eq!(sorted, expected);
    }
}
