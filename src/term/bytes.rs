//! Raw terminal input, as an SSH channel delivers it, decoded into actions.
//!
//! crossterm's own parser (the `terminput` crate's copy of it) reads one event from the
//! start of a buffer but does not say how many bytes it used, and it reads a lone Esc
//! byte as the Esc key even when the rest of an arrow key is still in flight. So bytes
//! are fed one at a time into a small buffer that is parsed after each byte, and a
//! buffer holding only Esc waits: for the next packet, or for [`InputDecoder::timeout`]
//! when the user really pressed Esc.

use terminput::{Event, KeyCode as TiKey, KeyEventKind, KeyModifiers};

use crate::app::Action;
use crate::app::keys::{Key, KeyCode};

const ESC: u8 = 0x1b;
const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";
/// A paste longer than this is cut here: nobody pastes a book into a sticky note, and
/// the buffer must stay bounded whatever a client sends.
pub const MAX_PASTE_BYTES: usize = 64 * 1024;
/// No key's escape sequence is anywhere near this long; a longer one is garbage.
const MAX_SEQUENCE_BYTES: usize = 64;

#[derive(Debug, Default)]
pub struct InputDecoder {
    buffer: Vec<u8>,
    /// The rest of a paste that was cut at [`MAX_PASTE_BYTES`] is being skipped; holds
    /// the last bytes seen, to spot the paste's end.
    skipping: Option<Vec<u8>>,
    /// An overlong escape sequence is being skipped up to its final byte.
    skipping_sequence: bool,
}

impl InputDecoder {
    pub fn new() -> InputDecoder {
        InputDecoder::default()
    }

    /// Decodes `bytes`, appending complete actions to `out`. Bytes that cannot start or
    /// continue any event are dropped; an incomplete sequence waits for more.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<Action>) {
        for &byte in bytes {
            if let Some(tail) = &mut self.skipping {
                tail.push(byte);
                if tail.ends_with(PASTE_END) {
                    self.skipping = None;
                } else if tail.len() > PASTE_END.len() {
                    tail.remove(0);
                }
                continue;
            }
            if self.skipping_sequence {
                self.skipping_sequence = !(0x40..=0x7e).contains(&byte);
                continue;
            }
            // Two Escs in a row are two presses, not Alt+Esc.
            if byte == ESC && self.buffer == [ESC] {
                out.push(key(KeyCode::Esc, false, false));
                continue;
            }
            self.buffer.push(byte);
            self.decode(out);
        }
    }

    /// Whether a lone Esc (or an unfinished sequence) is waiting: call [`Self::timeout`]
    /// if no more bytes arrive soon.
    pub fn is_waiting(&self) -> bool {
        !self.buffer.is_empty()
    }

    /// No more bytes came: a lone Esc was the Esc key; an unfinished paste is delivered
    /// as far as it got; any other fragment is dropped.
    pub fn timeout(&mut self, out: &mut Vec<Action>) {
        if self.buffer == [ESC] {
            out.push(key(KeyCode::Esc, false, false));
        } else if let Some(text) = self.buffer.strip_prefix(PASTE_START) {
            out.push(Action::Paste(String::from_utf8_lossy(text).into_owned()));
        }
        self.buffer.clear();
        self.skipping = None;
        self.skipping_sequence = false;
    }

    fn decode(&mut self, out: &mut Vec<Action>) {
        if self.buffer == [ESC] {
            return;
        }
        if self.buffer.starts_with(PASTE_START) {
            if self.buffer.ends_with(PASTE_END) {
                let text = &self.buffer[PASTE_START.len()..self.buffer.len() - PASTE_END.len()];
                out.push(Action::Paste(String::from_utf8_lossy(text).into_owned()));
                self.buffer.clear();
            } else if self.buffer.len() > MAX_PASTE_BYTES {
                // Deliver what fits and ignore the rest of the paste.
                let text = &self.buffer[PASTE_START.len()..];
                out.push(Action::Paste(String::from_utf8_lossy(text).into_owned()));
                self.buffer.clear();
                self.skipping = Some(Vec::new());
            }
            return;
        }
        match Event::parse_from(&self.buffer) {
            Ok(Some(event)) => {
                self.buffer.clear();
                out.extend(translate(event));
            }
            Ok(None) if self.buffer.len() <= MAX_SEQUENCE_BYTES || PASTE_START.starts_with(&self.buffer) => {}
            Ok(None) => {
                self.skipping_sequence = self.buffer.starts_with(b"\x1b[");
                self.buffer.clear();
            }
            Err(_) => self.buffer.clear(),
        }
    }
}

fn key(code: KeyCode, ctrl: bool, alt: bool) -> Action {
    Action::Key(Key { code, ctrl, alt })
}

/// The parser's event as oppi's action; events the app has no use for (mouse, focus)
/// give nothing.
fn translate(event: Event) -> Option<Action> {
    match event {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            let code = match k.code {
                TiKey::Char(c) => KeyCode::Char(c),
                TiKey::Enter => KeyCode::Enter,
                TiKey::Esc => KeyCode::Esc,
                TiKey::Tab if k.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
                TiKey::Tab => KeyCode::Tab,
                TiKey::Backspace => KeyCode::Backspace,
                TiKey::Delete => KeyCode::Delete,
                TiKey::Up => KeyCode::Up,
                TiKey::Down => KeyCode::Down,
                TiKey::Left => KeyCode::Left,
                TiKey::Right => KeyCode::Right,
                TiKey::Home => KeyCode::Home,
                TiKey::End => KeyCode::End,
                TiKey::PageUp => KeyCode::PageUp,
                TiKey::PageDown => KeyCode::PageDown,
                TiKey::F(n) => KeyCode::F(n),
                _ => return None,
            };
            Some(key(code, k.modifiers.contains(KeyModifiers::CTRL), k.modifiers.contains(KeyModifiers::ALT)))
        }
        Event::Paste(text) => Some(Action::Paste(text)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_in(chunks: &[&[u8]]) -> Vec<String> {
        let mut decoder = InputDecoder::new();
        let mut out = Vec::new();
        for chunk in chunks {
            decoder.feed(chunk, &mut out);
        }
        decoder.timeout(&mut out);
        out.iter()
            .map(|a| match a {
                Action::Key(k) => name(*k),
                Action::Paste(t) => format!("paste:{t}"),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn plain_keys_control_keys_and_utf8() {
        assert_eq!(decode_in(&[b"ab\r\x7f\t\x03"]), ["a", "b", "enter", "backspace", "tab", "ctrl-c"]);
        assert_eq!(decode_in(&["ä€😀".as_bytes()]), ["ä", "€", "😀"]);
    }

    #[test]
    fn sequences_split_across_packets_are_joined() {
        assert_eq!(decode_in(&[b"\x1b", b"[A"]), ["up"]);
        assert_eq!(decode_in(&[b"\x1b[", b"B", b"x"]), ["down", "x"]);
        // A multi-byte character split in the middle.
        let euro = "€".as_bytes();
        assert_eq!(decode_in(&[&euro[..1], &euro[1..]]), ["€"]);
        assert_eq!(decode_in(&[b"\x1b[1;5", b"C"]), ["ctrl-right"]);
    }

    #[test]
    fn a_lone_esc_waits_for_the_timeout_and_two_are_two() {
        let mut decoder = InputDecoder::new();
        let mut out = Vec::new();
        decoder.feed(b"\x1b", &mut out);
        assert!(out.is_empty() && decoder.is_waiting());
        decoder.timeout(&mut out);
        assert_eq!(decode_keys(&out), ["esc"]);
        assert!(!decoder.is_waiting());
        assert_eq!(decode_in(&[b"\x1b\x1b"]), ["esc", "esc"]);
    }

    #[test]
    fn pastes_arrive_whole_even_in_pieces_and_are_bounded() {
        assert_eq!(decode_in(&[b"\x1b[200~hello ", b"world\x1b[201~"]), ["paste:hello world"]);
        let mut huge = b"\x1b[200~".to_vec();
        huge.extend(std::iter::repeat_n(b'x', MAX_PASTE_BYTES * 2));
        huge.extend_from_slice(b"\x1b[201~q");
        let out = decode_in(&[&huge]);
        assert_eq!(out.len(), 2, "the cut paste, then the key after it");
        assert!(out[0].len() <= MAX_PASTE_BYTES + "paste:".len());
        assert_eq!(out[1], "q");
    }

    #[test]
    fn garbage_is_dropped_without_losing_what_follows() {
        assert_eq!(
            decode_in(&[b"\x1b[999999999999999999999999999999999999999999999999999999999999999999999Za"]),
            ["a"]
        );
        assert_eq!(decode_in(&[&[0xff, 0xfe, b'k']]), ["k"]);
    }

    /// A key as the keymap spells it, so expectations read like `keymap.toml`.
    fn name(key: Key) -> String {
        let names = ["up", "down", "ctrl-right", "enter", "backspace", "tab", "ctrl-c", "esc"];
        names.iter().find(|n| n.parse::<Key>() == Ok(key)).map_or_else(|| key.to_string(), |n| n.to_string())
    }

    fn decode_keys(out: &[Action]) -> Vec<String> {
        out.iter().filter_map(|a| if let Action::Key(k) = a { Some(name(*k)) } else { None }).collect()
    }

    /// `OPPI_FUZZ_CASES` sets the cases, as for the other fuzz targets (tests/fuzz.rs).
    fn cases() -> u32 {
        std::env::var("OPPI_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: cases(), failure_persistence: None, ..Default::default() })]
        /// Whatever a client sends, in whatever pieces: no panic, the buffer stays
        /// bounded, and a key sent after a timeout still arrives.
        #[test]
        fn any_bytes_in_any_pieces(chunks in proptest::collection::vec(proptest::collection::vec(proptest::num::u8::ANY, 0..300), 0..20)) {
            let mut decoder = InputDecoder::new();
            let mut out = Vec::new();
            for chunk in &chunks {
                decoder.feed(chunk, &mut out);
                proptest::prop_assert!(decoder.buffer.len() <= MAX_PASTE_BYTES + PASTE_END.len());
            }
            decoder.timeout(&mut out);
            out.clear();
            decoder.feed(b"q", &mut out);
            proptest::prop_assert_eq!(decode_keys(&out), ["q"]);
        }
    }
}
