//! Room codes: short, easy to read aloud and to type, with no look-alike characters
//! (no 0/o, 1/l/i, 5/s, 2/z, 8/b), so a room can be joined from a projector screen.

/// The characters a code is made of.
pub const ROOM_ALPHABET: &str = "acdefghjkmnpqrtuvwxy3467";
pub const ROOM_CODE_LEN: usize = 5;

/// A 5-character code derived from `seed`. Deterministic: the caller passes random
/// bits (or a fixed seed in tests). 24⁵ ≈ 8 million codes.
pub fn room_code(seed: u64) -> String {
    let alphabet: Vec<char> = ROOM_ALPHABET.chars().collect();
    let base = alphabet.len() as u64;
    // SplitMix64 spreads nearby seeds (1, 2, 3 …) over unrelated codes.
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (0..ROOM_CODE_LEN)
        .map(|_| {
            let c = alphabet[(z % base) as usize];
            z /= base;
            c
        })
        .collect()
}

/// What someone typed, as a room code: case and blanks or dashes ignored
/// ("K7M 2P" → "k7m2p"). `None` if it cannot be a code.
pub fn parse_room_code(typed: &str) -> Option<String> {
    let code: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_lowercase).collect();
    let valid = code.chars().count() == ROOM_CODE_LEN && code.chars().all(|c| ROOM_ALPHABET.contains(c));
    valid.then_some(code)
}
