//! PDFs crafted to make a text extractor work without end, each written by this test's own
//! generator, with a hard assertion on what the importer gives back (a catalog's text or
//! a located error), never on time: `examples/hostile_bench.rs` times the same classes.

use lopdf::{dictionary, Document, Object, Stream, StringFormat};
use reqgap::import::etsi_text;
use reqgap::import::pdf::{layout_text, PdfError};

/// A PDF of `pages` pages whose contents are the given streams (several pages may share
/// one stream object), with one Courier font, or `font` when given.
struct Builder {
    document: Document,
    pages_id: lopdf::ObjectId,
    resources_id: lopdf::ObjectId,
    kids: Vec<Object>,
}

impl Builder {
    fn new(font: Option<lopdf::Dictionary>) -> Builder {
        let mut document = Document::with_version("1.5");
        let pages_id = document.new_object_id();
        let font = font.unwrap_or_else(|| {
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Courier" }
        });
        let font_id = document.add_object(font);
        let resources_id =
            document.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
        Builder {
            document,
            pages_id,
            resources_id,
            kids: Vec::new(),
        }
    }

    fn stream(&mut self, content: Vec<u8>) -> lopdf::ObjectId {
        let mut stream = Stream::new(dictionary! {}, content);
        let _ = stream.compress();
        self.document.add_object(stream)
    }

    fn page(&mut self, content_id: lopdf::ObjectId) {
        let page_id = self.document.add_object(dictionary! {
            "Type" => "Page", "Parent" => self.pages_id, "Contents" => content_id,
            "Resources" => self.resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        self.kids.push(page_id.into());
    }

    fn finish(mut self) -> Document {
        let count = self.kids.len() as i64;
        self.document.objects.insert(
            self.pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => self.kids, "Count" => count },
            ),
        );
        let catalog_id = self
            .document
            .add_object(dictionary! { "Type" => "Catalog", "Pages" => self.pages_id });
        self.document.trailer.set("Root", catalog_id);
        self.document
    }
}

fn save(mut document: Document) -> Vec<u8> {
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).unwrap();
    bytes
}

fn one_page(content: Vec<u8>) -> Vec<u8> {
    let mut builder = Builder::new(None);
    let stream = builder.stream(content);
    builder.page(stream);
    save(builder.finish())
}

fn unreadable(result: Result<String, PdfError>) -> String {
    match result {
        Err(PdfError::Unreadable(message)) => message,
        other => panic!("expected an unreadable PDF, got {other:?}"),
    }
}

#[test]
fn a_small_stream_that_inflates_to_millions_of_operators_is_refused() {
    // About 60 KB compressed, 16 MiB of `T*` operators inflated.
    let content = b"BT /F1 7 Tf 10 TL "
        .iter()
        .copied()
        .chain(b"T* ".repeat((16 << 20) / 3))
        .collect();
    let pdf = one_page(content);
    assert!(pdf.len() < 200_000, "{} bytes", pdf.len());
    let message = unreadable(layout_text(&pdf));
    assert!(message.contains("page 1 cannot be read"), "{message}");
    assert!(
        message.contains("at most 4 MiB of content per page"),
        "{message}"
    );
}

#[test]
fn a_line_of_two_hundred_thousand_pieces_is_laid_out_in_full() {
    let mut content = b"BT /F1 7 Tf 50 700 Td [".to_vec();
    for _ in 0..200_000 {
        content.extend_from_slice(b"(a)-10");
    }
    content.extend_from_slice(b"] TJ ET");
    let text = layout_text(&one_page(content)).unwrap();
    assert_eq!(text.chars().filter(|c| *c == 'a').count(), 200_000);
    assert_eq!(text.lines().count(), 1);
}

#[test]
fn pages_that_share_one_content_stream_are_read_once_and_bounded() {
    let mut content = b"BT /F1 7 Tf 50 700 Td ".to_vec();
    for _ in 0..2_000 {
        content.extend_from_slice(b"(word) Tj 0 -9 Td ");
    }
    content.extend_from_slice(b"ET");
    let build = |pages: usize| {
        let mut builder = Builder::new(None);
        let stream = builder.stream(content.clone());
        for _ in 0..pages {
            builder.page(stream);
        }
        save(builder.finish())
    };
    let text = layout_text(&build(400)).unwrap();
    assert_eq!(text.split('\u{c}').count(), 400);
    assert_eq!(text.matches("word").count(), 800_000);
    // 1,000 pages of 2,000 pieces each exceed the million pieces reqgap reads.
    let message = unreadable(layout_text(&build(1_000)));
    assert!(
        message.contains("more than 1000000 pieces of text"),
        "{message}"
    );
}

#[test]
fn a_font_with_a_huge_width_table_is_looked_up_not_scanned() {
    let widths: Vec<Object> = (0..200_000i64)
        .flat_map(|i| [Object::Integer(i * 2), Object::Integer(i * 2), 600.into()])
        .collect();
    let descendant = dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "Wide",
        "DW" => 1000, "W" => widths,
    };
    let font = dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Wide",
        "Encoding" => "Identity-H", "DescendantFonts" => vec![Object::Dictionary(descendant)],
    };
    let mut builder = Builder::new(Some(font));
    let glyphs: Vec<u8> = (0..100_000u32)
        .flat_map(|i| [(i >> 8) as u8 & 0x7f, i as u8])
        .collect();
    let mut content = b"BT /F1 7 Tf 50 700 Td ".to_vec();
    content.push(b'<');
    content.extend(glyphs.iter().flat_map(|b| format!("{b:02x}").into_bytes()));
    content.push(b'>');
    content.extend_from_slice(b" Tj ET");
    let stream = builder.stream(content);
    builder.page(stream);
    let text = layout_text(&save(builder.finish())).expect("the page is read");
    assert!(!text.trim().is_empty());
}

#[test]
fn positions_far_off_the_page_are_clamped() {
    let mut content = b"BT /F1 7 Tf ".to_vec();
    for line in 0..10_000 {
        let y = 800 - line % 700;
        content
            .extend(format!("1 0 0 1 1e12 {y} Tm (far) Tj 1 0 0 1 50 {y} Tm (near) Tj ").bytes());
    }
    content.extend_from_slice(b"1 0 0 1 1000000000000 5 Tm (x) Tj ET");
    let text = layout_text(&one_page(content)).unwrap();
    assert!(text.lines().all(|l| l.len() < 600), "a line is too long");
    assert!(text.len() < 1 << 20, "{} bytes of text", text.len());
    assert!(text.contains("near") && text.contains("far"));
}

#[test]
fn an_encrypted_pdf_says_so() {
    let mut builder = Builder::new(None);
    let stream = builder.stream(b"BT /F1 7 Tf 50 700 Td (secret) Tj ET".to_vec());
    builder.page(stream);
    let mut document = builder.finish();
    let encrypt = document.add_object(dictionary! {
        "Filter" => "Standard", "V" => 1, "R" => 2, "P" => -4,
        "O" => Object::String(vec![0x11; 32], StringFormat::Hexadecimal),
        "U" => Object::String(vec![0x22; 32], StringFormat::Hexadecimal),
    });
    document.trailer.set("Encrypt", encrypt);
    document.trailer.set(
        "ID",
        vec![
            Object::String(vec![1; 16], StringFormat::Hexadecimal),
            Object::String(vec![1; 16], StringFormat::Hexadecimal),
        ],
    );
    let pdf = save(document);
    assert_eq!(layout_text(&pdf), Err(PdfError::Encrypted));
    let problems = etsi_text::read_document("secret.pdf", pdf).unwrap_err();
    assert_eq!(problems.0[0].code, "encrypted-pdf");
    assert!(problems.0[0].message.starts_with("this PDF is encrypted"));
}
