//! Crafted PDFs for `hostile_bench`, one per class of extraction work without end: a
//! small stream that inflates to millions of operators, a million pieces of text on one
//! line, many pages sharing one huge stream, a font with a huge width table, positions far
//! off the page, and an encryption dictionary. `tests/suite/import_pdf_hostile.rs` asserts the
//! results of smaller versions; this file gives the sizes that hurt before the bounds.

use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream, StringFormat};

/// The bytes of a PDF whose pages show `contents[page_stream[i]]`, with font `font`
/// (Courier when `None`).
pub fn pdf(contents: Vec<Vec<u8>>, pages: &[usize], font: Option<Dictionary>) -> Vec<u8> {
    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let font = font.unwrap_or_else(
        || dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Courier" },
    );
    let font_id = document.add_object(font);
    let resources = document.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let streams: Vec<ObjectId> = contents
        .into_iter()
        .map(|content| {
            let mut stream = Stream::new(dictionary! {}, content);
            let _ = stream.compress();
            document.add_object(stream)
        })
        .collect();
    let kids: Vec<Object> = pages
        .iter()
        .map(|&i| {
            document
                .add_object(dictionary! {
                    "Type" => "Page", "Parent" => pages_id, "Contents" => streams[i],
                    "Resources" => resources,
                    "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                })
                .into()
        })
        .collect();
    let count = kids.len() as i64;
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    document.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).expect("save");
    bytes
}

/// 16 MiB of `T*` operators, compressed to a few dozen kilobytes.
pub fn inflating_operators() -> Vec<u8> {
    let mut content = b"BT /F1 7 Tf 10 TL ".to_vec();
    content.extend(b"T* ".repeat((16 << 20) / 3));
    pdf(vec![content], &[0], None)
}

/// `count` pieces of text on one baseline, in one `TJ` array.
pub fn one_line_of_pieces(count: usize) -> Vec<u8> {
    let mut content = b"BT /F1 7 Tf 50 700 Td [".to_vec();
    content.extend(b"(a)-10".repeat(count));
    content.extend_from_slice(b"] TJ ET");
    pdf(vec![content], &[0], None)
}

/// `pages` pages sharing one stream of about 3 MiB of shown words.
pub fn shared_stream(pages: usize) -> Vec<u8> {
    let mut content = b"BT /F1 7 Tf 50 700 Td ".to_vec();
    content.extend(b"(word) Tj 0 -9 Td ".repeat(170_000));
    content.extend_from_slice(b"ET");
    pdf(vec![content], &vec![0; pages], None)
}

/// A Type0 font with 200,000 width ranges, and a page of 1,000,000 glyphs.
pub fn huge_width_table() -> Vec<u8> {
    let widths: Vec<Object> = (0..200_000i64)
        .flat_map(|i| [Object::Integer(i * 2), Object::Integer(i * 2), 600.into()])
        .collect();
    let descendant = dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "Wide", "DW" => 1000, "W" => widths,
    };
    let font = dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Wide", "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(descendant)],
    };
    let mut content = b"BT /F1 7 Tf 50 700 Td <".to_vec();
    for i in 0..1_000_000u32 {
        content.extend(format!("{:04x}", i % 0x8000).bytes());
    }
    content.extend_from_slice(b"> Tj ET");
    pdf(vec![content], &[0], Some(font))
}

/// 100,000 lines, each with a piece at x = 1e12 and one on the page.
pub fn far_positions() -> Vec<u8> {
    let mut content = b"BT /F1 7 Tf ".to_vec();
    for line in 0..100_000 {
        let y = 800 - line % 700;
        content
            .extend(format!("1 0 0 1 1e12 {y} Tm (far) Tj 1 0 0 1 50 {y} Tm (near) Tj ").bytes());
    }
    content.extend_from_slice(b"ET");
    pdf(vec![content], &[0], None)
}

/// A PDF with a Standard security handler whose password is not empty.
pub fn encrypted() -> Vec<u8> {
    let plain = pdf(
        vec![b"BT /F1 7 Tf 50 700 Td (secret) Tj ET".to_vec()],
        &[0],
        None,
    );
    let mut document = Document::load_mem(&plain).expect("own PDF");
    let encrypt = document.add_object(dictionary! {
        "Filter" => "Standard", "V" => 1, "R" => 2, "P" => -4,
        "O" => Object::String(vec![0x11; 32], StringFormat::Hexadecimal),
        "U" => Object::String(vec![0x22; 32], StringFormat::Hexadecimal),
    });
    document.trailer.set("Encrypt", encrypt);
    let id = Object::String(vec![1; 16], StringFormat::Hexadecimal);
    document.trailer.set("ID", vec![id.clone(), id]);
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).expect("save");
    bytes
}
