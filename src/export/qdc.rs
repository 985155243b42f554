//! The codebook in the REFI-QDA Codebook exchange format (`.qdc`, REFI-QDA Codebook 1.0),
//! the XML that NVivo, ATLAS.ti, MAXQDA and QualCoder import. Written by hand: the format
//! is small, and every piece of user text goes through [`xml_escape`].
//!
//! Every code gets a GUID that is stable for its slug (a name-based UUID, version 5, see
//! [`code_guid`]), so exporting twice, or from two copies of a store, gives the same
//! GUIDs and a QDA program can match codes across imports.

use crate::domain::codebook::{Code, Codebook};

/// The XML namespace of REFI-QDA Codebook 1.0.
pub const NAMESPACE: &str = "urn:QDA-XML:codebook:1.0";

/// The UUID namespace oppi derives code GUIDs from: 2b7d613f-485f-5786-99d8-7522d7d6fb27,
/// itself the v5 UUID of "oppi codebook" in the RFC 4122 URL namespace. Fixed forever:
/// changing it would change every exported GUID.
const OPPI_NAMESPACE: [u8; 16] =
    [0x2b, 0x7d, 0x61, 0x3f, 0x48, 0x5f, 0x57, 0x86, 0x99, 0xd8, 0x75, 0x22, 0xd7, 0xd6, 0xfb, 0x27];

/// Colours for codes without a valid `#rrggbb` one (same order as the codebook's palette).
const FALLBACK: [&str; 8] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

/// The codebook as a `.qdc` document. `origin` names the program ("oppi 0.1.0").
/// Codes nest under their parents; a code whose parent is missing (or that sits in a
/// parent cycle) is written at the top level rather than lost. Deterministic: the same
/// codebook always gives the same bytes.
pub fn codebook_qdc(book: &Codebook, origin: &str) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!("<CodeBook xmlns=\"{NAMESPACE}\" origin=\"{}\">\n", xml_escape(origin)));
    out.push_str("  <Codes>\n");
    let mut written = vec![false; book.codes.len()];
    let is_root = |c: &Code| match c.parent.as_deref() {
        None => true,
        Some(p) => book.get(p).is_none() || p.eq_ignore_ascii_case(&c.slug),
    };
    for i in 0..book.codes.len() {
        if is_root(&book.codes[i]) && !written[i] {
            write_code(book, i, 2, &mut written, &mut out);
        }
    }
    // Codes only reachable through a parent cycle: keep them, at the top level.
    for i in 0..book.codes.len() {
        if !written[i] {
            write_code(book, i, 2, &mut written, &mut out);
        }
    }
    out.push_str("  </Codes>\n");
    out.push_str("</CodeBook>\n");
    out
}

fn write_code(book: &Codebook, index: usize, depth: usize, written: &mut [bool], out: &mut String) {
    written[index] = true;
    let code = &book.codes[index];
    let pad = "  ".repeat(depth);
    let children: Vec<usize> = (0..book.codes.len())
        .filter(|&j| {
            !written[j]
                && book.codes[j].parent.as_deref().is_some_and(|p| p.eq_ignore_ascii_case(&code.slug))
                && j != index
        })
        .collect();
    let name = if code.name.trim().is_empty() { &code.slug } else { &code.name };
    let colour = colour_of(code, index);
    out.push_str(&format!(
        "{pad}<Code guid=\"{}\" name=\"{}\" isCodable=\"true\" color=\"{colour}\"",
        code_guid(&code.slug),
        xml_escape(name.trim())
    ));
    let description = code.description.trim();
    if description.is_empty() && children.is_empty() {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    if !description.is_empty() {
        out.push_str(&format!("{pad}  <Description>{}</Description>\n", xml_escape(description)));
    }
    for j in children {
        // A child may have been written meanwhile (duplicate slugs); skip it then.
        if !written[j] {
            write_code(book, j, depth + 1, written, out);
        }
    }
    out.push_str(&format!("{pad}</Code>\n"));
}

/// The code's colour if it is a valid `#rrggbb`, lower-cased; otherwise a palette colour.
fn colour_of(code: &Code, index: usize) -> String {
    let c = code.colour.trim();
    let valid = c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit());
    if valid { c.to_ascii_lowercase() } else { FALLBACK[index % FALLBACK.len()].to_string() }
}

/// Escapes text for XML attributes and element content: `& < > " '` as entities, tabs
/// and line breaks as character references (so attribute values keep them), and the
/// control characters XML 1.0 cannot carry at all are dropped.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A stable GUID for a code: the RFC 4122 name-based UUID (version 5, SHA-1) of
/// `"oppi-code:" + slug` (slug lower-cased) in oppi's namespace.
pub fn code_guid(slug: &str) -> String {
    uuid_v5(&OPPI_NAMESPACE, format!("oppi-code:{}", slug.trim().to_lowercase()).as_bytes())
}

/// RFC 4122 §4.3: SHA-1 of namespace ‖ name, first 16 bytes, version 5, variant 10xx.
fn uuid_v5(namespace: &[u8; 16], name: &[u8]) -> String {
    let mut input = namespace.to_vec();
    input.extend_from_slice(name);
    let hash = sha1(&input);
    let mut b = [0u8; 16];
    b.copy_from_slice(&hash[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// SHA-1 (FIPS 180-4). Used only to derive name-based UUIDs, not for security.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let t = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, v) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(v);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn sha1_matches_the_standard_test_vectors() {
        assert_eq!(hex(&sha1(b"abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(&sha1(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        assert_eq!(hex(&sha1(&vec![b'a'; 1_000])), "291e9a6c66994949b57ba5e650361e98fc36b1ba");
    }

    #[test]
    fn uuid_v5_matches_rfc_4122_implementations() {
        // uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") in Python's documentation.
        let dns = [0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8];
        assert_eq!(uuid_v5(&dns, b"python.org"), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
        let url = [0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8];
        assert_eq!(uuid_v5(&url, b"oppi codebook"), "2b7d613f-485f-5786-99d8-7522d7d6fb27", "oppi's namespace");
        // Pinned: a change here changes every GUID users have already imported.
        assert_eq!(code_guid("trust"), "d2f924de-f570-5c0b-83d6-9235afc62442");
    }

    #[test]
    fn guids_are_stable_distinct_and_well_formed() {
        let g = code_guid("trust");
        assert_eq!(g, code_guid("Trust"), "slugs are case-insensitive");
        assert_ne!(g, code_guid("trust-2"));
        assert_eq!(g.len(), 36);
        assert_eq!(&g[14..15], "5", "version 5");
        assert!(matches!(&g[19..20], "8" | "9" | "a" | "b"), "RFC 4122 variant");
        assert!(g.chars().enumerate().all(|(i, c)| if [8, 13, 18, 23].contains(&i) {
            c == '-'
        } else {
            c.is_ascii_hexdigit()
        }));
    }

    #[test]
    fn escaping_covers_markup_quotes_and_control_characters() {
        assert_eq!(xml_escape("<Trust & \"Co\">"), "&lt;Trust &amp; &quot;Co&quot;&gt;");
        assert_eq!(xml_escape("it's"), "it&apos;s");
        assert_eq!(xml_escape("a\nb\tc\u{1}d"), "a&#10;b&#9;cd");
        assert_eq!(xml_escape("Työllisyys – ok"), "Työllisyys – ok");
    }

    #[test]
    fn codes_nest_under_parents_and_orphans_stay() {
        let mut book = Codebook::seeded(&["Customer-centricity".into()]);
        book.add("Trust", Some("customer-centricity"), "Between <partners> & clients").unwrap();
        book.codes.push(Code {
            slug: "orphan".into(),
            name: "Orphan".into(),
            parent: Some("gone".into()),
            description: String::new(),
            colour: "bogus".into(),
        });
        let xml = codebook_qdc(&book, "oppi 0.1.0");
        assert!(
            xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"")
        );
        assert_eq!(xml.matches("<Code ").count(), book.codes.len());
        assert!(xml.contains("<Description>Between &lt;partners&gt; &amp; clients</Description>"));
        let cc = xml.find("name=\"Customer-centricity\"").unwrap();
        let trust = xml.find("name=\"Trust\"").unwrap();
        let close = xml[cc..].find("\n    </Code>").unwrap() + cc;
        assert!(cc < trust && trust < close, "Trust is inside Customer-centricity:\n{xml}");
        assert!(xml.contains("name=\"Orphan\" isCodable=\"true\" color=\"#"), "{xml}");
        assert_eq!(xml, codebook_qdc(&book, "oppi 0.1.0"), "deterministic");
    }

    #[test]
    fn parent_cycles_do_not_lose_or_repeat_codes() {
        let mut book = Codebook::default();
        for (slug, parent) in [("a", "b"), ("b", "a"), ("c", "c")] {
            book.codes.push(Code {
                slug: slug.into(),
                name: slug.to_uppercase(),
                parent: Some(parent.into()),
                description: String::new(),
                colour: "#ABCDEF".into(),
            });
        }
        let xml = codebook_qdc(&book, "oppi");
        assert_eq!(xml.matches("<Code ").count(), 3, "{xml}");
        assert!(xml.contains("color=\"#abcdef\""));
    }
}
