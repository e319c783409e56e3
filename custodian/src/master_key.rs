//! The custodian's master key: 32 bytes, stored as hex in a file only its owner may read. Every data key is sealed
//! at rest under it, and the custodian's X25519 secret (to which authors seal their deposits) is derived from it.
//! Losing the file loses every stored data key; anyone who reads it reads every key.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use healthchain_format::{sha256, DataKey, X25519Secret};

/// Domain of the custodian's X25519 secret derived from the master key.
pub const X25519_DOMAIN: &[u8] = b"healthchain/custodian-x25519/v1";

/// Why the master key could not be loaded or created.
#[derive(Debug, thiserror::Error)]
pub enum MasterKeyError {
    /// Group or others may read the file.
    #[error("the master key {0} is readable by group or others: run `chmod 600 {0}`")]
    Permissions(PathBuf),
    /// The file is not 64 hex digits.
    #[error("the master key {0} is not 32 bytes of hex (64 digits): restore it from your backup")]
    Malformed(PathBuf),
    /// Reading or writing the file failed.
    #[error("master key {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The failure.
        source: std::io::Error,
    },
}

/// The master key (wiped from memory when dropped).
pub struct MasterKey(DataKey);

/// Whether [`MasterKey::load_or_generate`] found the key or made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Read from the existing file.
    Loaded,
    /// Generated and written now.
    Generated,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> MasterKeyError + '_ {
    move |source| MasterKeyError::Io { path: path.to_path_buf(), source }
}

impl MasterKey {
    /// A master key from raw bytes (tests, tools).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        MasterKey(DataKey(bytes))
    }

    /// The key as the AEAD key that seals data keys at rest.
    pub fn sealing_key(&self) -> &DataKey {
        &self.0
    }

    /// The custodian's X25519 secret: `SHA-256("healthchain/custodian-x25519/v1" ‖ master)`.
    pub fn x25519_secret(&self) -> X25519Secret {
        let mut input = Vec::with_capacity(X25519_DOMAIN.len() + 32);
        input.extend_from_slice(X25519_DOMAIN);
        input.extend_from_slice(&self.0 .0);
        let secret = X25519Secret::from_bytes(sha256(&input));
        input.iter_mut().for_each(|byte| *byte = 0);
        secret
    }

    /// Reads the key at `path`, refusing a file group or others may read. Without a file, generates a key and
    /// writes it atomically with mode 0600 (never overwriting a file created meanwhile).
    pub fn load_or_generate(path: &Path) -> Result<(Self, Origin), MasterKeyError> {
        match fs::metadata(path) {
            Ok(_) => Ok((Self::load(path)?, Origin::Loaded)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Self::generate(path),
            Err(error) => Err(io(path)(error)),
        }
    }

    /// Reads the key at `path`, refusing a file group or others may read.
    pub fn load(path: &Path) -> Result<Self, MasterKeyError> {
        let metadata = fs::metadata(path).map_err(io(path))?;
        if metadata.permissions().mode() & 0o077 != 0 {
            return Err(MasterKeyError::Permissions(path.to_path_buf()));
        }
        let mut bytes = fs::read(path).map_err(io(path))?;
        let text = bytes.trim_ascii();
        let digits = text.strip_prefix(b"0x").unwrap_or(text);
        let mut key = [0u8; 32];
        let parsed = hex::decode_to_slice(digits, &mut key);
        bytes.fill(0);
        parsed.map_err(|_| MasterKeyError::Malformed(path.to_path_buf()))?;
        Ok(MasterKey(DataKey(key)))
    }

    fn generate(path: &Path) -> Result<(Self, Origin), MasterKeyError> {
        if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let key = DataKey::random();
        let temporary = path.with_extension(format!("tmp{}", std::process::id()));
        let written = (|| {
            let mut file = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&temporary)?;
            file.write_all(format!("{}\n", hex::encode(key.0)).as_bytes())?;
            file.sync_all()
        })();
        if let Err(error) = written {
            let _ = fs::remove_file(&temporary);
            return Err(io(path)(error));
        }
        // A hard link fails if the file exists: two custodians starting at once never overwrite each other's key.
        let linked = fs::hard_link(&temporary, path);
        let _ = fs::remove_file(&temporary);
        match linked {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                return Ok((Self::load(path)?, Origin::Loaded));
            }
            Err(error) => return Err(io(path)(error)),
        }
        if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            fs::File::open(parent).and_then(|dir| dir.sync_all()).map_err(io(parent))?;
        }
        Ok((MasterKey(key), Origin::Generated))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_on_first_start_with_mode_600_then_loaded_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/master.key");
        let (first, origin) = MasterKey::load_or_generate(&path).unwrap();
        assert_eq!(origin, Origin::Generated);
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let (second, origin) = MasterKey::load_or_generate(&path).unwrap();
        assert_eq!(origin, Origin::Loaded);
        assert_eq!(first.sealing_key(), second.sealing_key());
        assert_eq!(first.x25519_secret().public(), second.x25519_secret().public());
        // No temporary file is left behind.
        assert_eq!(fs::read_dir(dir.path().join("sub")).unwrap().count(), 1);
    }

    #[test]
    fn a_key_readable_by_group_or_others_is_refused_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        MasterKey::load_or_generate(&path).unwrap();
        for mode in [0o640, 0o604, 0o644] {
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
            let error = MasterKey::load_or_generate(&path).err().expect("refused");
            assert!(matches!(error, MasterKeyError::Permissions(_)), "{error}");
            assert!(error.to_string().contains(&format!("chmod 600 {}", path.display())), "{error}");
        }
        fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
        assert!(MasterKey::load(&path).is_ok());
    }

    #[test]
    fn a_malformed_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        fs::write(&path, "not hex").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        assert!(matches!(MasterKey::load(&path), Err(MasterKeyError::Malformed(_))));
    }

    #[test]
    fn the_x25519_secret_is_the_specified_derivation() {
        let master = MasterKey::from_bytes([7; 32]);
        let mut input = X25519_DOMAIN.to_vec();
        input.extend_from_slice(&[7; 32]);
        assert_eq!(master.x25519_secret().public(), X25519Secret::from_bytes(sha256(&input)).public());
    }
}
