//! The off-chain record format of healthchain, version 1: how a document is encrypted and addressed, how a data key
//! is sealed to an X25519 key, and the signed deposit and release requests a custodian accepts.
//!
//! The specification is `docs/offchain-format.md`; `format/vectors.json` holds test vectors that every
//! implementation (this crate, the web client) reproduces. Nothing here touches the chain or the network.

use chacha20poly1305::{
    aead::{Aead, KeyInit, Payload},
    XChaCha20Poly1305, XNonce,
};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A SHA-256 digest, a block hash or a genesis hash.
pub type Hash = [u8; 32];
/// An account (AccountId32) as raw bytes.
pub type Account = [u8; 32];

/// Domain of the associated data of a document.
pub const RECORD_DOMAIN: &[u8] = b"healthchain/record/v1";
/// Domain of the key derived for a sealed key.
pub const SEAL_DOMAIN: &[u8] = b"healthchain/seal/v1";
/// Domain of a key deposit.
pub const DEPOSIT_DOMAIN: &[u8] = b"healthchain/deposit/v1";
/// Domain of a release request.
pub const RELEASE_DOMAIN: &[u8] = b"healthchain/release/v1";
/// The sr25519 signing context of account signatures (what wallets and `subxt-signer` use).
pub const SIGNING_CONTEXT: &[u8] = b"substrate";
/// Bytes of the nonce at the start of a blob.
pub const NONCE_LEN: usize = 24;
/// Bytes of the authentication tag at the end of a blob.
pub const TAG_LEN: usize = 16;

/// Why a format operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatError {
    /// The ciphertext does not open under this key and associated data: wrong key, or the blob was altered, or it
    /// belongs to another patient, data class, records contract or chain.
    Decrypt,
    /// The signature is not the named account's signature of this message.
    BadSignature,
    /// Bytes that should be an sr25519 public key or signature are not one.
    BadPublicKey,
    /// The X25519 exchange gave the all-zero secret: the public key is a low-order point.
    LowOrderKey,
    /// The input is too short to be what it claims.
    Malformed(&'static str),
}

impl core::fmt::Display for FormatError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            FormatError::Decrypt => f.write_str("decryption failed: wrong key, altered blob, or another binding"),
            FormatError::BadSignature => f.write_str("the signature is not the named account's"),
            FormatError::BadPublicKey => f.write_str("not an sr25519 public key or signature"),
            FormatError::LowOrderKey => f.write_str("the X25519 public key is a low-order point"),
            FormatError::Malformed(what) => write!(f, "malformed input: {what}"),
        }
    }
}

impl std::error::Error for FormatError {}

/// Which chain and which records contract a custodian serves. Every encryption and signature includes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    /// The chain's genesis hash.
    #[serde(with = "hex0x")]
    pub genesis: Hash,
    /// The records contract's address.
    #[serde(with = "hex0x")]
    pub records: Account,
}

impl Binding {
    fn prefix(&self, domain: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(domain.len() + 64 + 128);
        out.extend_from_slice(domain);
        out.extend_from_slice(&self.genesis);
        out.extend_from_slice(&self.records);
        out
    }
}

/// A record's data key: 32 random bytes, wiped from memory when dropped.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct DataKey(pub [u8; 32]);

impl DataKey {
    /// A new key from the operating system's random source.
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        OsRng.fill_bytes(&mut key);
        DataKey(key)
    }
}

impl core::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

fn random_nonce() -> [u8; NONCE_LEN] {
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    nonce
}

fn aead(key: &[u8; 32]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.into())
}

/// The associated data of a document: `"healthchain/record/v1" ‖ genesis ‖ records ‖ patient ‖ class`.
pub fn record_aad(binding: &Binding, patient: &Account, class: u8) -> Vec<u8> {
    let mut aad = binding.prefix(RECORD_DOMAIN);
    aad.extend_from_slice(patient);
    aad.push(class);
    aad
}

/// Encrypts a document under `key` with a fresh random nonce: the blob is `nonce ‖ ciphertext ‖ tag`.
pub fn encrypt_document(key: &DataKey, aad: &[u8], document: &[u8]) -> Vec<u8> {
    encrypt_document_with(key, &random_nonce(), aad, document)
}

/// [`encrypt_document`] with a given nonce (test vectors only: never reuse a nonce under one key).
pub fn encrypt_document_with(key: &DataKey, nonce: &[u8; NONCE_LEN], aad: &[u8], document: &[u8]) -> Vec<u8> {
    let sealed = aead(&key.0)
        .encrypt(XNonce::from_slice(nonce), Payload { msg: document, aad })
        .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory inputs below 256 GiB");
    let mut blob = Vec::with_capacity(NONCE_LEN + sealed.len());
    blob.extend_from_slice(nonce);
    blob.extend_from_slice(&sealed);
    blob
}

/// Decrypts a blob made by [`encrypt_document`].
pub fn decrypt_document(key: &DataKey, aad: &[u8], blob: &[u8]) -> Result<Vec<u8>, FormatError> {
    if blob.len() < NONCE_LEN + TAG_LEN {
        return Err(FormatError::Malformed("a blob is at least 40 bytes (nonce and tag)"));
    }
    let (nonce, sealed) = blob.split_at(NONCE_LEN);
    aead(&key.0).decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad }).map_err(|_| FormatError::Decrypt)
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> Hash {
    Sha256::digest(bytes).into()
}

/// The content hash of a blob, as `records.register` stores it: SHA-256 of the blob.
pub fn content_hash(blob: &[u8]) -> Hash {
    sha256(blob)
}

/// The public locator of a blob held by the custodian at `custodian_base_url`:
/// `<base>/v1/blobs/0x<content hash>`.
pub fn locator(custodian_base_url: &str, content_hash: &Hash) -> String {
    format!("{}/v1/blobs/0x{}", custodian_base_url.trim_end_matches('/'), hex::encode(content_hash))
}

/// An X25519 secret key (ephemeral for a reader's release request, long-lived for a custodian).
#[derive(Clone)]
pub struct X25519Secret(x25519_dalek::StaticSecret);

impl X25519Secret {
    /// A new secret from the operating system's random source.
    pub fn random() -> Self {
        X25519Secret(x25519_dalek::StaticSecret::random_from_rng(OsRng))
    }
    /// The secret with these bytes (clamped by X25519 itself).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        X25519Secret(x25519_dalek::StaticSecret::from(bytes))
    }
    /// The public key, `X25519(secret, 9)`.
    pub fn public(&self) -> [u8; 32] {
        x25519_dalek::PublicKey::from(&self.0).to_bytes()
    }
    fn agree(&self, public: &[u8; 32]) -> Result<[u8; 32], FormatError> {
        let shared = self.0.diffie_hellman(&x25519_dalek::PublicKey::from(*public));
        if !shared.was_contributory() {
            return Err(FormatError::LowOrderKey);
        }
        Ok(shared.to_bytes())
    }
}

impl core::fmt::Debug for X25519Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "X25519Secret(public 0x{})", hex::encode(self.public()))
    }
}

/// A data key sealed to an X25519 public key (section 2 of the specification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedKey {
    /// The sender's ephemeral X25519 public key `E`.
    #[serde(with = "hex0x")]
    pub ephemeral_public: [u8; 32],
    /// The nonce `m`.
    #[serde(with = "hex0x")]
    pub nonce: [u8; NONCE_LEN],
    /// The data key encrypted with its tag (`c`, 48 bytes).
    #[serde(with = "hex0x")]
    pub ciphertext: [u8; 48],
}

fn seal_key_derive(shared: &[u8; 32], ephemeral_public: &[u8; 32], to: &[u8; 32]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(SEAL_DOMAIN);
    hasher.update(shared);
    hasher.update(ephemeral_public);
    hasher.update(to);
    hasher.finalize().into()
}

/// Seals `key` to the holder of the X25519 public key `to`, bound to `context`.
pub fn seal_key(key: &DataKey, to: &[u8; 32], context: &Hash) -> Result<SealedKey, FormatError> {
    seal_key_with(key, to, context, &X25519Secret::random(), &random_nonce())
}

/// [`seal_key`] with a given ephemeral secret and nonce (test vectors only).
pub fn seal_key_with(
    key: &DataKey,
    to: &[u8; 32],
    context: &Hash,
    ephemeral: &X25519Secret,
    nonce: &[u8; NONCE_LEN],
) -> Result<SealedKey, FormatError> {
    let shared = ephemeral.agree(to)?;
    let ephemeral_public = ephemeral.public();
    let mut derived = seal_key_derive(&shared, &ephemeral_public, to);
    let sealed = aead(&derived)
        .encrypt(XNonce::from_slice(nonce), Payload { msg: &key.0, aad: context })
        .expect("XChaCha20-Poly1305 encryption of 32 bytes cannot fail");
    derived.zeroize();
    let ciphertext: [u8; 48] = sealed.as_slice().try_into().expect("32 bytes of key plus a 16-byte tag");
    Ok(SealedKey { ephemeral_public, nonce: *nonce, ciphertext })
}

/// Opens a sealed key with the receiver's X25519 secret and the same `context`.
pub fn open_sealed_key(sealed: &SealedKey, secret: &X25519Secret, context: &Hash) -> Result<DataKey, FormatError> {
    let shared = secret.agree(&sealed.ephemeral_public)?;
    let mut derived = seal_key_derive(&shared, &sealed.ephemeral_public, &secret.public());
    let opened = aead(&derived)
        .decrypt(XNonce::from_slice(&sealed.nonce), Payload { msg: &sealed.ciphertext, aad: context })
        .map_err(|_| FormatError::Decrypt);
    derived.zeroize();
    let mut opened = opened?;
    let key: [u8; 32] = opened.as_slice().try_into().map_err(|_| FormatError::Malformed("a data key is 32 bytes"))?;
    opened.zeroize();
    Ok(DataKey(key))
}

/// Checks that `signature` is `signer`'s sr25519 signature of `message` (signing context `"substrate"`).
pub fn verify_signature(signer: &Account, message: &[u8], signature: &[u8; 64]) -> Result<(), FormatError> {
    let public = schnorrkel::PublicKey::from_bytes(signer).map_err(|_| FormatError::BadPublicKey)?;
    let signature = schnorrkel::Signature::from_bytes(signature).map_err(|_| FormatError::BadSignature)?;
    public.verify_simple(SIGNING_CONTEXT, message, &signature).map_err(|_| FormatError::BadSignature)
}

/// The author's deposit of a record's data key with a custodian (section 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositRequest {
    /// The record id on chain.
    pub record: u64,
    /// The record's author, who signs.
    #[serde(with = "hex0x")]
    pub author: Account,
    /// The record's content hash on chain.
    #[serde(with = "hex0x")]
    pub content_hash: Hash,
    /// The data key sealed to the custodian's public key with [`DepositRequest::context`].
    pub sealed_key: SealedKey,
    /// When the author signed, in ms since the Unix epoch.
    pub time_ms: u64,
    /// The author's signature of [`DepositRequest::message`].
    #[serde(with = "hex0x")]
    pub signature: [u8; 64],
}

impl DepositRequest {
    /// The sealing context of a deposit's key:
    /// `SHA-256("healthchain/deposit/v1" ‖ genesis ‖ records ‖ u64le(record) ‖ content_hash)`.
    pub fn context(binding: &Binding, record: u64, content_hash: &Hash) -> Hash {
        let mut bytes = binding.prefix(DEPOSIT_DOMAIN);
        bytes.extend_from_slice(&record.to_le_bytes());
        bytes.extend_from_slice(content_hash);
        sha256(&bytes)
    }

    /// Seals `key` to the custodian's public key and builds the unsigned request (signature all zeroes): sign
    /// [`DepositRequest::message`] and set `signature`.
    pub fn unsigned(
        binding: &Binding,
        record: u64,
        author: Account,
        content_hash: Hash,
        key: &DataKey,
        custodian_key: &[u8; 32],
        time_ms: u64,
    ) -> Result<Self, FormatError> {
        let sealed_key = seal_key(key, custodian_key, &Self::context(binding, record, &content_hash))?;
        Ok(DepositRequest { record, author, content_hash, sealed_key, time_ms, signature: [0; 64] })
    }

    /// The signed bytes: `"healthchain/deposit/v1" ‖ genesis ‖ records ‖ u64le(record) ‖ content_hash ‖ E ‖ m ‖ c
    /// ‖ u64le(time_ms)`.
    pub fn message(&self, binding: &Binding) -> Vec<u8> {
        let mut bytes = binding.prefix(DEPOSIT_DOMAIN);
        bytes.extend_from_slice(&self.record.to_le_bytes());
        bytes.extend_from_slice(&self.content_hash);
        bytes.extend_from_slice(&self.sealed_key.ephemeral_public);
        bytes.extend_from_slice(&self.sealed_key.nonce);
        bytes.extend_from_slice(&self.sealed_key.ciphertext);
        bytes.extend_from_slice(&self.time_ms.to_le_bytes());
        bytes
    }

    /// Checks the author's signature.
    pub fn verify(&self, binding: &Binding) -> Result<(), FormatError> {
        verify_signature(&self.author, &self.message(binding), &self.signature)
    }

    /// Opens the deposited key with the custodian's secret.
    pub fn open_key(&self, binding: &Binding, custodian: &X25519Secret) -> Result<DataKey, FormatError> {
        open_sealed_key(&self.sealed_key, custodian, &Self::context(binding, self.record, &self.content_hash))
    }
}

/// A reader's request for a record's data key, citing the block of its finalized open (section 4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseRequest {
    /// The record id on chain.
    pub record: u64,
    /// The reader, who opened the record and signs.
    #[serde(with = "hex0x")]
    pub reader: Account,
    /// The hash of the block holding the reader's `RecordOpened`.
    #[serde(with = "hex0x")]
    pub block: Hash,
    /// The reader's ephemeral X25519 public key; the key comes back sealed to it.
    #[serde(with = "hex0x")]
    pub ephemeral_public: [u8; 32],
    /// When the reader signed, in ms since the Unix epoch.
    pub time_ms: u64,
    /// The reader's signature of [`ReleaseRequest::message`].
    #[serde(with = "hex0x")]
    pub signature: [u8; 64],
}

impl ReleaseRequest {
    /// The unsigned request (signature all zeroes): sign [`ReleaseRequest::message`] and set `signature`.
    pub fn unsigned(record: u64, reader: Account, block: Hash, ephemeral_public: [u8; 32], time_ms: u64) -> Self {
        ReleaseRequest { record, reader, block, ephemeral_public, time_ms, signature: [0; 64] }
    }

    /// The signed bytes: `"healthchain/release/v1" ‖ genesis ‖ records ‖ u64le(record) ‖ block ‖ P ‖
    /// u64le(time_ms)`.
    pub fn message(&self, binding: &Binding) -> Vec<u8> {
        let mut bytes = binding.prefix(RELEASE_DOMAIN);
        bytes.extend_from_slice(&self.record.to_le_bytes());
        bytes.extend_from_slice(&self.block);
        bytes.extend_from_slice(&self.ephemeral_public);
        bytes.extend_from_slice(&self.time_ms.to_le_bytes());
        bytes
    }

    /// SHA-256 of the message: the context the released key is sealed with.
    pub fn digest(&self, binding: &Binding) -> Hash {
        sha256(&self.message(binding))
    }

    /// Checks the reader's signature.
    pub fn verify(&self, binding: &Binding) -> Result<(), FormatError> {
        verify_signature(&self.reader, &self.message(binding), &self.signature)
    }

    /// The custodian's answer: `key` sealed to the request's ephemeral key with the request digest as context.
    pub fn seal(&self, binding: &Binding, key: &DataKey) -> Result<SealedKey, FormatError> {
        seal_key(key, &self.ephemeral_public, &self.digest(binding))
    }
}

/// The custodian's answer to a release request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseResponse {
    /// The record whose key this is.
    pub record: u64,
    /// The block of the open the release was made against.
    #[serde(with = "hex0x")]
    pub block: Hash,
    /// The index of the `RecordOpened` among the block's events: with `block`, the disclosure entry released.
    pub event_index: u32,
    /// The data key sealed to the request's ephemeral key.
    pub sealed_key: SealedKey,
}

impl ReleaseResponse {
    /// Opens the released key with the ephemeral secret of `request`.
    pub fn open_key(
        &self,
        binding: &Binding,
        request: &ReleaseRequest,
        ephemeral: &X25519Secret,
    ) -> Result<DataKey, FormatError> {
        open_sealed_key(&self.sealed_key, ephemeral, &request.digest(binding))
    }
}

/// Serde helpers: fixed-size byte arrays as lowercase `0x` hex strings.
pub mod hex0x {
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    /// Serializes `bytes` as `0x…`.
    pub fn serialize<S: Serializer, const N: usize>(bytes: &[u8; N], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&encode(bytes))
    }

    /// Deserializes `0x…` (exactly N bytes).
    pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(deserializer: D) -> Result<[u8; N], D::Error> {
        let text = String::deserialize(deserializer)?;
        decode(&text).map_err(D::Error::custom)
    }

    /// `0x` followed by the lowercase hex of `bytes`.
    pub fn encode(bytes: &[u8]) -> String {
        format!("0x{}", hex::encode(bytes))
    }

    /// Parses `0x` + 2N hex digits.
    pub fn decode<const N: usize>(text: &str) -> Result<[u8; N], String> {
        let digits = text.strip_prefix("0x").ok_or_else(|| format!("expected 0x-prefixed hex, got {text:?}"))?;
        let mut out = [0u8; N];
        hex::decode_to_slice(digits, &mut out)
            .map_err(|_| format!("expected {N} bytes as 0x-prefixed hex ({} digits)", 2 * N))?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
