//! The two sides of a diff, prepared for matching: active requirements in natural ID
//! order (so every index-based tie-break is independent of file order) and the stems of
//! their words and titles as sorted IDs from one vocabulary numbered in stem order (so
//! that, too, is canonical), with word weights computed over both sides together.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::order::{natural_cmp, sort_naturally};
use super::signals::{self, combine, idf, stem, total, weighted_dice};
use super::text::{ascii_word_ranges, words};
use super::word_lists::{WordLists, WordStore};
use crate::model::{Catalog, Requirement};

/// Word weights shared by both sides.
#[derive(Debug, Default)]
pub(crate) struct Weights {
    /// IDF of each stem over the texts of both versions.
    pub text: Vec<f64>,
    /// IDF of each stem over the titles of both versions.
    pub title: Vec<f64>,
    /// Each stem's text, by ID (for explanations).
    pub stems: Vec<String>,
    /// The stem ID of every word seen, to take the words of a variant of a text (one
    /// without its parameter labels) in the same vocabulary.
    pub seen: SeenWords,
}

/// Every word the vocabulary read, with its stem ID: the tables that read them, kept as
/// they are (a table of words as strings would cost one allocation per word, for the
/// few texts that are read again).
#[derive(Debug, Default)]
pub(crate) struct SeenWords {
    /// The canonical stem ID of each word of at most 16 bytes, by [`packed`] key.
    short: PackedWords,
    /// The canonical stem ID of each longer word.
    long: HashMap<String, u32>,
}

impl SeenWords {
    fn stem_of(&self, word: &str) -> Option<u32> {
        match packed(word) {
            Some(key) => self.short.get(&key),
            None => self.long.get(word),
        }
        .copied()
    }
}

impl Weights {
    /// The sorted stem IDs of `text`; words never seen in either version are left out.
    pub fn tokens(&self, text: &str) -> Vec<u32> {
        let text = signals::matching_text(text);
        let mut tokens: Vec<u32> = words(&text).filter_map(|w| self.seen.stem_of(&w)).collect();
        tokens.sort_unstable();
        tokens
    }
}

pub(crate) struct Side<'a> {
    pub catalog: &'a Catalog,
    pub requirements: Vec<&'a Requirement>,
    /// Sorted stem IDs (a multiset) of each requirement's text.
    pub tokens: WordLists,
    /// Weighted size of each text.
    pub totals: Vec<f64>,
    /// Sorted stem IDs of each title (empty without a title).
    pub titles: WordLists,
    pub title_totals: Vec<f64>,
    /// How many requirements of this side carry the same title (0 without a title): an
    /// equal title says little when twenty controls are called "Policy and Procedures".
    pub title_copies: Vec<u32>,
    pub weights: Arc<Weights>,
    /// The requirement of the other side with the same ID: the same spelling, or else the
    /// same [`id_key`] when exactly one requirement on each side has it.
    pub twin: Vec<Option<usize>>,
    /// Whether the other version lists this requirement's ID (by [`id_key`]) as withdrawn
    /// and holds no active requirement under it: the publisher says the requirement did
    /// not just vanish, so its words are looked for inside the other version's
    /// requirements without asking them to be news there (see `matching`).
    pub withdrawn_there: Vec<bool>,
    /// Each requirement's rank among the IDs of both sides (see `Alignment`).
    pub id_rank: Vec<u32>,
    /// For a requirement of the side read second: the requirement of the first side
    /// spelled alike whose text and title are the same, as found while preparing.
    pub same_words_as: Vec<Option<usize>>,
}

impl<'a> Side<'a> {
    /// The requirement with this ID (the last one, should an ID repeat).
    pub fn index(&self, id: &str) -> Option<usize> {
        // Requirements are in natural ID order: a binary search finds the end of the run
        // of IDs that sort up to `id`.
        let end = self
            .requirements
            .partition_point(|r| natural_cmp(r.id.as_str(), id) != Ordering::Greater);
        end.checked_sub(1)
            .filter(|&i| self.requirements[i].id.as_str() == id)
    }

    pub fn len(&self) -> usize {
        self.requirements.len()
    }

    pub fn id(&self, index: usize) -> &'a str {
        self.requirements[index].id.as_str()
    }

    /// Whether `self[index]` and `other[other_index]` are one ID (spelled alike or not).
    pub fn same_id(&self, index: usize, other_index: usize) -> bool {
        self.twin[index] == Some(other_index)
    }

    /// Whether preparing found `self[index]` to have the text of `other[other_index]`
    /// (false says nothing).
    pub fn known_same_text(&self, index: usize, other_index: usize) -> bool {
        self.same_words_as.get(index) == Some(&Some(other_index))
    }
}

/// An ID as publishers spell it in different editions: case ignored, numbers without
/// leading zeros, and every run of separators one separator, so that the usual
/// enhancement notations meet (`AC-1` = `AC-01`, `AC-2(1)` = `AC-02(01)` = `ac-2.1`,
/// `ISM-0428` = `ism-428`).
pub fn id_key(id: &str) -> String {
    let mut key = String::with_capacity(id.len());
    let mut rest = id;
    while let Some(start) = rest.find(|c: char| c.is_alphanumeric()) {
        rest = &rest[start..];
        let digits = rest.starts_with(|c: char| c.is_ascii_digit());
        let end = rest
            .find(|c: char| !c.is_alphanumeric() || c.is_ascii_digit() != digits)
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(end);
        if !key.is_empty() {
            key.push('.');
        }
        if digits {
            let number = run.trim_start_matches('0');
            key.push_str(if number.is_empty() { "0" } else { number });
        } else if run.is_ascii() {
            key.extend(run.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            key.extend(run.chars().flat_map(char::to_lowercase));
        }
        rest = tail;
    }
    key
}

/// Each side's twins: the same spelling first, then the same key where it is unique on
/// both sides (two requirements spelled `AC-1` and `AC-01` in one edition stay apart).
/// `same_spelling`: for each old requirement, the last new one spelled the same.
fn twins(
    old: &[&Requirement],
    new: &[&Requirement],
    same_spelling: Vec<Option<usize>>,
) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut old_twin = same_spelling;
    let mut new_twin: Vec<Option<usize>> = vec![None; new.len()];
    for (o, n) in old_twin.iter().enumerate() {
        if let Some(n) = n {
            new_twin[*n] = Some(o);
        }
    }
    let mut by_key: HashMap<String, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for (o, _) in old_twin.iter().enumerate().filter(|(_, t)| t.is_none()) {
        by_key
            .entry(id_key(old[o].id.as_str()))
            .or_default()
            .0
            .push(o);
    }
    for (n, _) in new_twin.iter().enumerate().filter(|(_, t)| t.is_none()) {
        if let Some(entry) = by_key.get_mut(&id_key(new[n].id.as_str())) {
            entry.1.push(n);
        }
    }
    for (olds, news) in by_key.values() {
        if let ([o], [n]) = (olds.as_slice(), news.as_slice()) {
            old_twin[*o] = Some(*n);
            new_twin[*n] = Some(*o);
        }
    }
    (old_twin, new_twin)
}

/// How the IDs of two sides meet, from one merge of their natural orders: each
/// requirement's rank among the IDs of both sides (equal IDs share one), and from the ranks,
/// for each requirement, the last requirement of the other side spelled the same. Every ID
/// is read once: the IDs lie spread over memory, and reading them costs more than
/// comparing them.
struct Alignment {
    old_rank: Vec<u32>,
    new_rank: Vec<u32>,
    /// For each old requirement, the last new one spelled the same.
    new_of_old: Vec<Option<usize>>,
    /// For each new requirement, the last old one spelled the same.
    old_of_new: Vec<Option<usize>>,
}

impl Alignment {
    /// `old` and `new` in natural ID order.
    fn of(old: &[&Requirement], new: &[&Requirement]) -> Alignment {
        let (old_rank, new_rank) = merged_id_ranks(old, new);
        Alignment {
            new_of_old: last_of_rank(&new_rank, &old_rank),
            old_of_new: last_of_rank(&old_rank, &new_rank),
            old_rank,
            new_rank,
        }
    }
}

/// For each of `ranks`, the last of `others` with the same rank: the same ID, since the
/// merge gives two IDs one rank only when they are spelled alike.
fn last_of_rank(others: &[u32], ranks: &[u32]) -> Vec<Option<usize>> {
    let size = others
        .last()
        .max(ranks.last())
        .map_or(0, |&rank| rank as usize + 1);
    let mut last = vec![None; size];
    for (index, &rank) in others.iter().enumerate() {
        last[rank as usize] = Some(index);
    }
    ranks.iter().map(|&rank| last[rank as usize]).collect()
}

/// One rank per ID over both sides in natural order, equal IDs sharing one (each side's
/// `id_rank`), computed once while preparing: each side lists its requirements in natural
/// order already, so one merge ranks them.
fn merged_id_ranks(old: &[&Requirement], new: &[&Requirement]) -> (Vec<u32>, Vec<u32>) {
    let (mut old_ranks, mut new_ranks) = (vec![0; old.len()], vec![0; new.len()]);
    let (mut o, mut n, mut rank) = (0, 0, 0u32);
    let mut previous: Option<&str> = None;
    while o < old.len() || n < new.len() {
        let (old_id, new_id) = (
            old.get(o).map(|r| r.id.as_str()),
            new.get(n).map(|r| r.id.as_str()),
        );
        let from_old = match (old_id, new_id) {
            (Some(a), Some(b)) => a == b || natural_cmp(a, b) != Ordering::Greater,
            (a, _) => a.is_some(),
        };
        let id = if from_old {
            old[o].id.as_str()
        } else {
            new[n].id.as_str()
        };
        if previous.is_some_and(|p| p != id) {
            rank += 1;
        }
        previous = Some(id);
        if from_old {
            old_ranks[o] = rank;
            o += 1;
        } else {
            new_ranks[n] = rank;
            n += 1;
        }
    }
    (old_ranks, new_ranks)
}

/// The signals of one old/new pair.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Signals {
    /// Weighted Dice of the stemmed texts.
    pub text: f64,
    /// Title evidence: weighted Dice of the titles divided by how many requirements share
    /// the title (0 when either has none).
    pub title: f64,
    /// The pair's score: both signals combined (symmetric).
    pub score: f64,
}

/// The signals of `old[o]` against `new[n]`.
pub(crate) fn signals(old: &Side<'_>, new: &Side<'_>, o: usize, n: usize) -> Signals {
    let w = &old.weights;
    let text = weighted_dice(
        &old.tokens[o],
        &new.tokens[n],
        &w.text,
        (old.totals[o], new.totals[n]),
    );
    let title = if old.titles[o].is_empty() || new.titles[n].is_empty() {
        0.0
    } else {
        let copies = old.title_copies[o].max(new.title_copies[n]).max(1);
        weighted_dice(
            &old.titles[o],
            &new.titles[n],
            &w.title,
            (old.title_totals[o], new.title_totals[n]),
        ) / f64::from(copies)
    };
    Signals {
        text,
        title,
        score: combine(text, title),
    }
}

/// Prepares both sides with one shared vocabulary and shared weights.
pub(crate) fn prepare<'a>(old: &'a Catalog, new: &'a Catalog) -> (Side<'a>, Side<'a>) {
    let (old_requirements, new_requirements) = (in_natural_order(old), in_natural_order(new));
    let alignment = Alignment::of(&old_requirements, &new_requirements);
    let mut vocabulary = Vocabulary::default();
    let mut store = WordStore::default();
    let mut repeats = Repeats::new(&new_requirements, &alignment);
    let mut old_raw = raw_side(
        old,
        old_requirements,
        &mut vocabulary,
        &mut store,
        Earlier::Ahead(&mut repeats),
    );
    let mut new_raw = raw_side(
        new,
        new_requirements.clone(),
        &mut vocabulary,
        &mut store,
        Earlier::Read(&old_raw, &repeats),
    );
    let (rank, stems, seen) = vocabulary.canonical_ranks();
    let size = rank.len();
    in_canonical_ranks(&mut old_raw, &rank, None, &mut store);
    in_canonical_ranks(&mut new_raw, &rank, Some(&old_raw), &mut store);
    let sides = [old_raw, new_raw];
    let documents = sides[0].tokens.len() + sides[1].tokens.len();
    let text_lists = sides.iter().flat_map(|side| &side.tokens);
    let text_df = document_frequency(text_lists.map(|span| store.list(span.clone())), size);
    let title_lists = sides.iter().flat_map(|side| &side.titles);
    let title_df = document_frequency(title_lists.map(|span| store.list(span.clone())), size);
    let store = store.share();
    let weights = Arc::new(Weights {
        text: idf(&text_df, documents),
        title: idf(&title_df, documents),
        stems,
        seen,
    });
    let Alignment {
        old_rank,
        new_rank,
        new_of_old,
        ..
    } = alignment;
    let (old_twin, new_twin) = twins(&sides[0].requirements, &sides[1].requirements, new_of_old);
    let old_withdrawn_there = withdrawn_in(&sides[0].requirements, &old_twin, new);
    let new_withdrawn_there = withdrawn_in(&sides[1].requirements, &new_twin, old);
    let [old_raw, new_raw] = sides;
    let old_side = old_raw.finish(&weights, &store, None);
    let new_side = new_raw.finish(&weights, &store, Some(&old_side));
    (
        Side {
            twin: old_twin,
            withdrawn_there: old_withdrawn_there,
            id_rank: old_rank,
            ..old_side
        },
        Side {
            twin: new_twin,
            withdrawn_there: new_withdrawn_there,
            id_rank: new_rank,
            ..new_side
        },
    )
}

/// For each requirement without a twin: whether `other` lists its ID as withdrawn.
fn withdrawn_in(
    requirements: &[&Requirement],
    twins: &[Option<usize>],
    other: &Catalog,
) -> Vec<bool> {
    let withdrawn: std::collections::HashSet<String> = other
        .requirements
        .iter()
        .filter(|r| !r.is_active())
        .map(|r| id_key(r.id.as_str()))
        .collect();
    if withdrawn.is_empty() {
        return vec![false; requirements.len()];
    }
    requirements
        .iter()
        .zip(twins)
        .map(|(r, twin)| twin.is_none() && withdrawn.contains(&id_key(r.id.as_str())))
        .collect()
}

/// Stem IDs renumbered by `rank` and sorted; a requirement that shares its words with one
/// of `earlier` points at that one's, renumbered once.
fn in_canonical_ranks(
    raw: &mut RawSide<'_>,
    rank: &[u32],
    earlier: Option<&RawSide<'_>>,
    store: &mut WordStore,
) {
    for i in 0..raw.tokens.len() {
        if let (Some(e), Some(j)) = (earlier, raw.same_words[i]) {
            raw.tokens[i].clone_from(&e.tokens[j]);
            raw.titles[i].clone_from(&e.titles[j]);
            continue;
        }
        for span in [&raw.tokens[i], &raw.titles[i]] {
            let tokens = store.list_mut(span.clone());
            for token in tokens.iter_mut() {
                *token = rank[*token as usize];
            }
            tokens.sort_unstable();
        }
    }
}

fn document_frequency<'t>(docs: impl Iterator<Item = &'t [u32]>, size: usize) -> Vec<u32> {
    let mut df = vec![0u32; size];
    for tokens in docs {
        for (i, t) in tokens.iter().enumerate() {
            if i == 0 || tokens[i - 1] != *t {
                df[*t as usize] += 1;
            }
        }
    }
    df
}

/// Raw words are stemmed once each: most words repeat, so this costs one stem per
/// distinct word, not per occurrence.
#[derive(Default)]
struct Vocabulary {
    /// The stem ID of each word of at most 16 bytes, by its bytes packed into one number
    /// (words hold no NUL byte, so the zero padding tells lengths apart): one lookup
    /// without following a pointer, for almost every word of a text.
    short: PackedWords,
    /// The stem ID of each longer word.
    long: HashMap<String, u32>,
    stems: HashMap<String, u32>,
}

impl Vocabulary {
    /// Appends the stem IDs of the words of `text` (as [`words`] takes them), in text
    /// order.
    fn text_ids(&mut self, text: &str, ids: &mut Vec<u32>) {
        let text = signals::matching_text(text);
        if !text.is_ascii() {
            ids.extend(words(&text).map(|w| self.id(&w)));
            return;
        }
        // In ASCII a letter or digit is one byte and lower-casing keeps lengths: the words
        // are the runs of alphanumeric bytes, packed straight from the text.
        let bytes = text.as_bytes();
        for word in ascii_word_ranges(bytes) {
            ids.push(self.ascii_id(bytes, word));
        }
    }

    /// [`Vocabulary::id`] of the ASCII word `text[word]`, lower-cased on the way.
    fn ascii_id(&mut self, text: &[u8], word: std::ops::Range<usize>) -> u32 {
        if word.len() <= 16 {
            let key = ascii_lowercase(packed_at(text, word.clone()));
            if let Some(&stem_id) = self.short.get(&key) {
                return stem_id;
            }
        }
        let lower = String::from_utf8_lossy(&text[word]).to_ascii_lowercase();
        self.id(&lower)
    }

    fn id(&mut self, word: &str) -> u32 {
        let packed = packed(word);
        let known = match packed {
            Some(key) => self.short.get(&key),
            None => self.long.get(word),
        };
        if let Some(&stem_id) = known {
            return stem_id;
        }
        let stemmed = stem(word);
        let next = self.stems.len() as u32;
        let stem_id = *self.stems.entry(stemmed.into_owned()).or_insert(next);
        match packed {
            Some(key) => self.short.insert(key, stem_id),
            None => {
                self.long.insert(word.to_owned(), stem_id);
            }
        }
        stem_id
    }

    /// Stem IDs renumbered in lexical order: they then carry no trace of file order.
    fn canonical_ranks(self) -> (Vec<u32>, Vec<String>, SeenWords) {
        let mut by_stem: Vec<(String, u32)> = self.stems.into_iter().collect();
        by_stem.sort_unstable();
        let mut rank = vec![0u32; by_stem.len()];
        for (position, (_, id)) in by_stem.iter().enumerate() {
            rank[*id as usize] = position as u32;
        }
        let (mut short, mut long) = (self.short, self.long);
        let short_ids = short.upto8.values_mut().chain(short.upto16.values_mut());
        for stem_id in short_ids.chain(long.values_mut()) {
            *stem_id = rank[*stem_id as usize];
        }
        let seen = SeenWords { short, long };
        (rank, by_stem.into_iter().map(|(s, _)| s).collect(), seen)
    }
}

/// Words of at most 16 bytes by their [`packed`] keys, those of at most 8 bytes (most
/// words) in a table of their own with keys half as long: the table is looked up for every
/// word of every text, and the smaller it is, the more of it stays in the cache.
#[derive(Debug, Default)]
struct PackedWords {
    upto8: HashMap<u64, u32, FoldState>,
    upto16: HashMap<u128, u32, FoldState>,
}

impl PackedWords {
    /// A word of at most 8 bytes leaves the upper half of its key zero (words hold no NUL
    /// byte, so every longer word has a ninth byte that is not zero).
    fn half(key: u128) -> Option<u64> {
        u64::try_from(key).ok()
    }

    // Looked up for every word of every text: worth no call.
    #[inline]
    fn get(&self, key: &u128) -> Option<&u32> {
        match Self::half(*key) {
            Some(half) => self.upto8.get(&half),
            None => self.upto16.get(key),
        }
    }

    fn insert(&mut self, key: u128, stem_id: u32) {
        match Self::half(key) {
            Some(half) => self.upto8.insert(half, stem_id),
            None => self.upto16.insert(key, stem_id),
        };
    }
}

/// Hashing of packed words (and of lists of word IDs): one folded multiply of each sixteen
/// bytes, mixed with a per-process random seed. SipHash's rounds cost more than the rest of
/// a lookup; a seeded hash still keeps a crafted file from piling its words into one
/// bucket (words are untrusted input).
#[derive(Clone, Copy, Debug)]
pub(crate) struct FoldState([u64; 2]);

impl Default for FoldState {
    fn default() -> Self {
        use std::hash::BuildHasher;
        let random = std::collections::hash_map::RandomState::new();
        FoldState([random.hash_one(0u8), random.hash_one(1u8)])
    }
}

impl std::hash::BuildHasher for FoldState {
    type Hasher = FoldHasher;

    fn build_hasher(&self) -> FoldHasher {
        FoldHasher {
            seed: self.0,
            hash: 0,
        }
    }
}

pub(crate) struct FoldHasher {
    seed: [u64; 2],
    hash: u64,
}

impl std::hash::Hasher for FoldHasher {
    fn write_u64(&mut self, value: u64) {
        self.write_u128(u128::from(value));
    }

    fn write_u128(&mut self, value: u128) {
        let low = (value as u64) ^ self.seed[0] ^ self.hash;
        let high = ((value >> 64) as u64) ^ self.seed[1];
        let full = u128::from(low) * u128::from(high);
        self.hash = (full as u64) ^ ((full >> 64) as u64);
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(16) {
            let mut buffer = [0u8; 16];
            buffer[..chunk.len()].copy_from_slice(chunk);
            self.write_u128(u128::from_le_bytes(buffer));
        }
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Sixteen ASCII bytes packed in one number, lower-cased all at once: a byte from `A` to
/// `Z` gains the 0x20 bit. No byte has its high bit set, so the additions that test the
/// range never carry into the next byte.
fn ascii_lowercase(packed: u128) -> u128 {
    const ONES: u128 = u128::from_le_bytes([1; 16]);
    let at_least_a = packed + ONES * (0x80 - u128::from(b'A'));
    let beyond_z = packed + ONES * (0x80 - u128::from(b'Z') - 1);
    let upper = at_least_a & !beyond_z & (ONES * 0x80);
    packed | (upper >> 2)
}

/// [`packed`] of the word `text[word]`: sixteen bytes read at once where the text goes on
/// that far, the bytes after the word masked off (a copy of a few bytes costs a call).
fn packed_at(text: &[u8], word: std::ops::Range<usize>) -> u128 {
    let mut buffer = [0u8; 16];
    match text.get(word.start..word.start + 16) {
        Some(sixteen) => {
            buffer.copy_from_slice(sixteen);
            let bits = 8 * word.len();
            let mask = if bits == 128 {
                u128::MAX
            } else {
                (1 << bits) - 1
            };
            u128::from_le_bytes(buffer) & mask
        }
        None => {
            buffer[..word.len()].copy_from_slice(&text[word]);
            u128::from_le_bytes(buffer)
        }
    }
}

/// The bytes of a word of at most 16 bytes as one number, zero-padded.
fn packed(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    (bytes.len() <= 16).then(|| {
        let mut buffer = [0u8; 16];
        buffer[..bytes.len()].copy_from_slice(bytes);
        u128::from_le_bytes(buffer)
    })
}

#[derive(Default)]
struct RawSide<'a> {
    catalog: Option<&'a Catalog>,
    requirements: Vec<&'a Requirement>,
    /// Where each requirement's words lie in the store.
    tokens: Vec<Range<usize>>,
    titles: Vec<Range<usize>>,
    /// The requirement of the side read earlier with the same ID, text and title, whose
    /// words this one takes.
    same_words: Vec<Option<usize>>,
}

impl<'a> RawSide<'a> {
    /// `earlier`: the side finished before, whose sums a requirement that shares its words
    /// takes as they are.
    fn finish(
        self,
        weights: &Arc<Weights>,
        store: &Arc<Vec<u32>>,
        earlier: Option<&Side<'_>>,
    ) -> Side<'a> {
        let (tokens, titles) = (
            WordLists::new(store, self.tokens),
            WordLists::new(store, self.titles),
        );
        let shared = &self.same_words;
        let totals = sums(
            &tokens,
            &weights.text,
            shared,
            earlier.map(|e| e.totals.as_slice()),
        );
        let title_totals = sums(
            &titles,
            &weights.title,
            shared,
            earlier.map(|e| e.title_totals.as_slice()),
        );
        let mut copies: HashMap<&[u32], u32> = HashMap::new();
        for title in titles.iter().filter(|t| !t.is_empty()) {
            *copies.entry(title).or_default() += 1;
        }
        let title_copies = titles
            .iter()
            .map(|t| copies.get(t).copied().unwrap_or(0))
            .collect();
        drop(copies);
        Side {
            catalog: self.catalog.expect("a prepared side has its catalog"),
            requirements: self.requirements,
            tokens,
            totals,
            titles,
            title_totals,
            title_copies,
            weights: Arc::clone(weights),
            twin: Vec::new(),
            withdrawn_there: Vec::new(),
            id_rank: Vec::new(),
            same_words_as: self.same_words,
        }
    }
}

/// What reading a side knows of the other: the side read second is read after the first
/// (`Read`), whose words it may repeat; while the first is read, it finds which of them the
/// second repeats (`Ahead`).
enum Earlier<'r, 's> {
    Ahead(&'r mut Repeats<'s>),
    Read(&'r RawSide<'s>, &'r Repeats<'s>),
}

/// For each requirement of the side read second: the requirement of the first side spelled
/// alike whose text and title it repeats. Each is compared while the first side is read,
/// right after its text was (the texts of two large editions do not stay in the cache
/// until the second side is read); a requirement of the second side that is not the last
/// one spelled alike is compared when it is read.
struct Repeats<'s> {
    second: &'s [&'s Requirement],
    alignment: &'s Alignment,
    of: Vec<Option<usize>>,
    checked: Vec<bool>,
}

impl<'s> Repeats<'s> {
    fn new(second: &'s [&'s Requirement], alignment: &'s Alignment) -> Repeats<'s> {
        Repeats {
            second,
            alignment,
            of: vec![None; second.len()],
            checked: vec![false; second.len()],
        }
    }

    /// `first` is the requirement of the first side at `index`, just read.
    fn check(&mut self, index: usize, first: &Requirement) {
        let Some(n) = self.alignment.new_of_old[index] else {
            return;
        };
        if self.alignment.old_of_new[n] == Some(index) {
            self.of[n] = same_words(first, self.second[n]).then_some(index);
            self.checked[n] = true;
        }
    }

    /// The requirement of `first_side` that `second`, at `index`, repeats.
    fn of(&self, index: usize, second: &Requirement, first_side: &[&Requirement]) -> Option<usize> {
        if self.checked[index] {
            return self.of[index];
        }
        let i = self.alignment.old_of_new[index]?;
        same_words(first_side[i], second).then_some(i)
    }
}

fn same_words(first: &Requirement, second: &Requirement) -> bool {
    first.text == second.text && first.title == second.title
}

/// The weighted size of each list; a list shared with the side finished before (`shared`
/// names its requirement there) takes that side's sum (`earlier`), the same words summed
/// in the same order.
fn sums(
    lists: &WordLists,
    weights: &[f64],
    shared: &[Option<usize>],
    earlier: Option<&[f64]>,
) -> Vec<f64> {
    (0..shared.len())
        .map(|i| match (earlier, shared[i]) {
            (Some(earlier), Some(j)) => earlier[j],
            _ => total(&lists[i], weights),
        })
        .collect()
}

/// The active requirements of a catalog in natural ID order.
fn in_natural_order(catalog: &Catalog) -> Vec<&Requirement> {
    let mut requirements: Vec<&Requirement> = catalog.active_requirements().collect();
    // Catalogs usually list their requirements in order already: one look at each
    // neighbour spares building a key for every ID.
    let in_order = requirements
        .windows(2)
        .all(|w| natural_cmp(w[0].id.as_str(), w[1].id.as_str()).is_le());
    if !in_order {
        sort_naturally(&mut requirements, |r| r.id.as_str());
    }
    requirements
}

/// `earlier`: the side already read, and for each requirement the one of that side spelled
/// the same, whose words a requirement with the same ID, text and title shares; most requirements of an edition are unchanged, and taking their words
/// again would be most of the work.
fn raw_side<'a>(
    catalog: &'a Catalog,
    requirements: Vec<&'a Requirement>,
    vocabulary: &mut Vocabulary,
    store: &mut WordStore,
    mut earlier: Earlier<'_, '_>,
) -> RawSide<'a> {
    let mut tokens = Vec::with_capacity(requirements.len());
    let mut titles = Vec::with_capacity(requirements.len());
    let mut same_words = Vec::with_capacity(requirements.len());
    for (index, r) in requirements.iter().enumerate() {
        let shared = match &mut earlier {
            Earlier::Ahead(repeats) => {
                repeats.check(index, r);
                None
            }
            Earlier::Read(side, repeats) => repeats.of(index, r, &side.requirements),
        };
        // The words of a requirement shared with the earlier side are taken from there
        // once they are renumbered (see `in_canonical_ranks`).
        if shared.is_some() {
            tokens.push(0..0);
            titles.push(0..0);
        } else {
            tokens.push(store.add(|ids| vocabulary.text_ids(&r.text, ids)));
            titles.push(store.add(|ids| {
                if let Some(title) = &r.title {
                    vocabulary.text_ids(title, ids);
                }
            }));
        }
        same_words.push(shared);
    }
    RawSide {
        catalog: Some(catalog),
        requirements,
        tokens,
        titles,
        same_words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RequirementId;

    fn requirement(id: &str) -> Requirement {
        use crate::model::{Confidence, Level, SectionId, Status};
        Requirement {
            id: id.into(),
            section: SectionId::new("1"),
            title: None,
            level: Level::Shall,
            level_derived: false,
            markers: Default::default(),
            confidence: Confidence::Confirmed,
            status: Status::Active,
            text: String::new(),
            note: None,
            links: Vec::new(),
        }
    }

    #[test]
    fn one_merge_finds_every_same_spelling() {
        let old = ["A-1", "A-1", "A-2", "B-1", "C-10", "c-10"].map(requirement);
        let new = ["A-01", "A-1", "A-2", "A-2", "B-3", "C-9", "C-10"].map(requirement);
        let (old, new): (Vec<&Requirement>, Vec<&Requirement>) =
            (old.iter().collect(), new.iter().collect());
        let last_spelled_alike = |others: &[&Requirement], id: &RequirementId| {
            others.iter().rposition(|other| &other.id == id)
        };
        let alignment = Alignment::of(&old, &new);
        let expected: Vec<Option<usize>> = old
            .iter()
            .map(|r| last_spelled_alike(&new, &r.id))
            .collect();
        assert_eq!(alignment.new_of_old, expected);
        let expected: Vec<Option<usize>> = new
            .iter()
            .map(|r| last_spelled_alike(&old, &r.id))
            .collect();
        assert_eq!(alignment.old_of_new, expected);
        assert_eq!(
            alignment.old_of_new,
            [None, Some(1), Some(2), Some(2), None, None, Some(4)]
        );
    }

    #[test]
    fn a_word_packed_in_place_is_the_word_packed_alone() {
        let text = b"a sixteen-letter abcdefghijklmnop word, and short ones: x yz";
        for word in ascii_word_ranges(text) {
            let alone = std::str::from_utf8(&text[word.clone()]).expect("ascii");
            if let Some(key) = packed(alone) {
                assert_eq!(packed_at(text, word), key, "{alone}");
            }
        }
    }

    #[test]
    fn packed_lower_casing_matches_byte_by_byte() {
        let ascii: Vec<u8> = (0..128).collect();
        for chunk in ascii.chunks(16) {
            let mut bytes = [0u8; 16];
            bytes.copy_from_slice(chunk);
            let lowered = bytes.map(|b| b.to_ascii_lowercase());
            assert_eq!(
                ascii_lowercase(u128::from_le_bytes(bytes)),
                u128::from_le_bytes(lowered)
            );
        }
    }
}
