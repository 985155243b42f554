//! The server's host key and the facilitators' public keys.

use std::io::Write;
use std::path::{Path, PathBuf};

use russh::keys::{Algorithm, HashAlg, PrivateKey, PublicKey};

/// The host key's file name in the store directory.
pub const HOST_KEY_FILE: &str = "ssh_host_ed25519_key";
/// Facilitators' keys when the config names no file.
pub const FACILITATORS_FILE: &str = "facilitators";

/// The host key kept in `dir`, made on first start (readable by the owner only) and
/// reused after, so participants who checked the fingerprint once can trust it again.
pub fn host_key(dir: &Path) -> Result<PrivateKey, String> {
    let path = dir.join(HOST_KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            PrivateKey::from_openssh(&text).map_err(|e| format!("{}: not an OpenSSH private key: {e}", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
                .map_err(|e| format!("cannot make a host key: {e}"))?;
            let text = key.to_openssh(russh::keys::ssh_key::LineEnding::LF).map_err(|e| e.to_string())?;
            write_private(&path, text.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(key)
        }
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// `SHA256:…`, as `ssh` shows it when asking whether to trust a host.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// A facilitator: their key, and the name others see them by (the key's comment, else a
/// short fingerprint).
#[derive(Debug, Clone)]
pub struct Facilitator {
    pub key: PublicKey,
    pub name: String,
}

/// Reads an `authorized_keys`-style file: one OpenSSH public key a line, `#` comments
/// and blank lines allowed. A line that is not a key is an error naming file and line.
pub fn read_facilitators(path: &Path) -> Result<Vec<Facilitator>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut keys = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        keys.push(parse_key(line).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?);
    }
    Ok(keys)
}

fn parse_key(line: &str) -> Result<Facilitator, String> {
    let key = PublicKey::from_openssh(line).map_err(|e| format!("not an OpenSSH public key ({e})"))?;
    let name = match key.comment().as_str_lossy().trim() {
        c if !c.is_empty() => c.to_string(),
        _ => fingerprint(&key).chars().take(19).collect(),
    };
    Ok(Facilitator { key, name })
}

/// Adds the key in `key_file` (a `.pub` file) to `facilitators` unless it is there
/// already; returns the facilitator and whether the file changed.
pub fn add_facilitator(facilitators: &Path, key_file: &Path) -> Result<(Facilitator, bool), String> {
    let text = std::fs::read_to_string(key_file).map_err(|e| format!("{}: {e}", key_file.display()))?;
    let line = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')).unwrap_or("");
    let added = parse_key(line).map_err(|e| format!("{}:1: {e}", key_file.display()))?;
    let known = read_facilitators(facilitators)?;
    if known.iter().any(|f| f.key.key_data() == added.key.key_data()) {
        return Ok((added, false));
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(facilitators)
        .map_err(|e| format!("{}: {e}", facilitators.display()))?;
    writeln!(file, "{line}").and_then(|_| file.sync_all()).map_err(|e| format!("{}: {e}", facilitators.display()))?;
    Ok((added, true))
}

/// The facilitators file: the config's, else `facilitators` in the store directory.
pub fn facilitators_path(configured: Option<&Path>, store_dir: &Path) -> PathBuf {
    configured.map_or_else(|| store_dir.join(FACILITATORS_FILE), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_key_is_made_once_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = host_key(dir.path()).unwrap();
        let again = host_key(dir.path()).unwrap();
        assert_eq!(fingerprint(first.public_key()), fingerprint(again.public_key()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(HOST_KEY_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn facilitators_file_names_the_bad_line_and_adding_twice_adds_once() {
        let dir = tempfile::tempdir().unwrap();
        let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap();
        let mut public = key.public_key().clone();
        public.set_comment("anna@evaluation");
        let pub_file = dir.path().join("anna.pub");
        std::fs::write(&pub_file, public.to_openssh().unwrap()).unwrap();
        let list = dir.path().join("facilitators");
        let (f, changed) = add_facilitator(&list, &pub_file).unwrap();
        assert!(changed);
        assert_eq!(f.name, "anna@evaluation");
        assert!(!add_facilitator(&list, &pub_file).unwrap().1);
        assert_eq!(read_facilitators(&list).unwrap().len(), 1);
        std::fs::write(&list, "# team\n\nssh-ed25519 not-base64 x\n").unwrap();
        let err = read_facilitators(&list).unwrap_err();
        assert!(err.contains("facilitators:3:"), "{err}");
    }
}
