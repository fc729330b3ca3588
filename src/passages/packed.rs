//! The passages found by pass 2, held compactly until the pass ends: a [`Passage`] has ten
//! `usize` fields (104 bytes), yet every offset, line and token count of a passage fits 32 bits
//! (texts longer than 4 GiB are refused before extension, see the `doc` submodule), so 48 bytes
//! hold it exactly. Over a corpus of 3M news pages pass 2 finds ~4M passages, held beside the
//! seeds and the kept tokens at the pass's peak.

use super::Passage;

/// A [`Passage`] in 32-bit fields; it converts back exactly.
#[derive(Debug, Clone, Copy)]
pub(super) struct Packed {
    doc: u32,
    start: u32,
    end: u32,
    line: u32,
    of_doc: u32,
    of_start: u32,
    of_end: u32,
    of_line: u32,
    tokens: u32,
    /// `edits`, with [`NO_EDITS`] for `None`.
    edits: u32,
    cut_start: u32,
    cut_end: u32,
}

/// `edits` of an exact-mode passage (`None`): never a count, which is at most the tokens.
const NO_EDITS: u32 = u32::MAX;

/// `x` in 32 bits: every offset, line and count of a passage lies in a text of at most
/// `u32::MAX` bytes.
fn narrow(x: usize) -> u32 {
    u32::try_from(x).expect("passage offsets lie in texts of at most u32::MAX bytes")
}

impl From<&Passage> for Packed {
    fn from(p: &Passage) -> Self {
        Packed {
            doc: p.doc,
            start: narrow(p.start),
            end: narrow(p.end),
            line: narrow(p.line),
            of_doc: p.of_doc,
            of_start: narrow(p.of_start),
            of_end: narrow(p.of_end),
            of_line: narrow(p.of_line),
            tokens: narrow(p.tokens),
            // Edits are at most the tokens, fewer than the text's bytes: never `NO_EDITS`.
            edits: p.edits.map_or(NO_EDITS, |e| e.min(NO_EDITS - 1)),
            cut_start: narrow(p.cut.start),
            cut_end: narrow(p.cut.end),
        }
    }
}

impl From<Packed> for Passage {
    fn from(p: Packed) -> Self {
        Passage {
            doc: p.doc,
            start: p.start as usize,
            end: p.end as usize,
            line: p.line as usize,
            of_doc: p.of_doc,
            of_start: p.of_start as usize,
            of_end: p.of_end as usize,
            of_line: p.of_line as usize,
            tokens: p.tokens as usize,
            edits: (p.edits != NO_EDITS).then_some(p.edits),
            cut: p.cut_start as usize..p.cut_end as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passage_round_trips_through_its_packed_form() {
        let exact = Passage {
            doc: 7,
            start: 10,
            end: 400,
            line: 3,
            of_doc: 2,
            of_start: 0,
            of_end: 390,
            of_line: 1,
            tokens: 62,
            edits: None,
            cut: 9..401,
        };
        let near = Passage {
            edits: Some(4),
            start: u32::MAX as usize - 5,
            ..exact.clone()
        };
        for p in [exact, near] {
            assert_eq!(Passage::from(Packed::from(&p)), p);
        }
        assert_eq!(std::mem::size_of::<Packed>(), 48);
    }
}
