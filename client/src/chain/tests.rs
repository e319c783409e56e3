//! Unit tests of what needs no node: the dry run's encoding and decoding, refusals, events, and the records
//! messages' selectors and arguments against the contract's metadata (when a release build is there).

use super::{records::input, *};
use ::records::errors::Error;
use interfaces::{AccountId, Basis, DataClass, Page, Purpose};
use scale::Compact;

const RECORDS: Account = [7; 32];

fn no_names(_: u8, _: u8) -> Option<String> {
    None
}

fn result(flags: u32, data: Vec<u8>) -> ContractResult {
    ContractResult {
        _gas_consumed: Weight { ref_time: 10, proof_size: 20 },
        gas_required: Weight { ref_time: 1_000_000, proof_size: 5_000 },
        storage_deposit: StorageDeposit::Charge(42),
        debug_message: Vec::new(),
        result: Ok(ExecReturnValue { flags, data }),
    }
}

/// The bytes a node answers `ContractsApi_call` with: the result, then `events: None`.
fn answer(result: ContractResult) -> Vec<u8> {
    let mut bytes = result.encode();
    bytes.push(0);
    bytes
}

fn decode_answer(bytes: &[u8]) -> Result<DryRun> {
    ContractResult::decode(&mut &bytes[..]).expect("decodes").into_dry_run(&no_names)
}

#[test]
fn the_dry_run_request_is_origin_dest_value_limits_and_input() {
    let request = CallRequest {
        origin: [1; 32],
        dest: [2; 32],
        value: 0,
        gas_limit: None,
        storage_deposit_limit: None,
        input: vec![0xaa, 0xbb],
    };
    let mut expected = vec![1u8; 32];
    expected.extend([2u8; 32]);
    expected.extend([0u8; 16]); // value: u128
    expected.extend([0, 0]); // gas limit None, storage deposit limit None
    expected.extend([8, 0xaa, 0xbb]); // compact length 2, input
    assert_eq!(request.encode(), expected);
}

#[test]
fn weights_are_compact_and_get_a_margin() {
    assert_eq!(Weight { ref_time: 1, proof_size: 2 }.encode(), vec![4, 8]);
    let grown = Weight { ref_time: 1_000_000, proof_size: 5_000 }.with_margin();
    assert_eq!(grown, Weight { ref_time: 1_200_020, proof_size: 6_020 });
    let saturated = Weight { ref_time: u64::MAX, proof_size: 0 }.with_margin();
    assert_eq!(saturated, Weight { ref_time: u64::MAX, proof_size: GAS_MARGIN_PERCENT });
}

#[test]
fn a_returning_message_decodes_as_its_return_type() {
    let page = Page { items: vec![3u64, 4], next: Some(5), len: 9 };
    let data = ink::MessageResult::<Page<u64>>::Ok(page.clone()).encode();
    let dry = decode_answer(&answer(result(0, data))).expect("dry run");
    assert_eq!(dry.gas_required, Weight { ref_time: 1_000_000, proof_size: 5_000 });
    assert_eq!(dry.storage_deposit, StorageDeposit::Charge(42));
    assert_eq!(decode_return::<Page<u64>>(&dry.returned).expect("page"), page);
    // Bytes left over mean the type is not the message's: refused, not silently truncated.
    let mut longer = ink::MessageResult::<u64>::Ok(1).encode();
    longer.push(0);
    let error = decode_return::<u64>(&Returned::Ok(longer)).expect_err("trailing bytes");
    assert!(matches!(error, ClientError::Decode { .. }), "{error}");
}

#[test]
fn a_refusal_comes_back_as_the_records_error() {
    let refused = ink::MessageResult::<core::result::Result<Basis, Error>>::Ok(Err(Error::NotPatient)).encode();
    let dry = decode_answer(&answer(result(REVERT, refused))).expect("dry run");
    assert_eq!(dry.returned, Returned::Reverted(dry_data(&dry)));
    let error = decode_return::<core::result::Result<Basis, Error>>(&dry.returned).expect_err("refused");
    assert!(matches!(error, ClientError::Contract(Error::NotPatient)), "{error}");
    assert_eq!(
        error.to_string(),
        "the records contract refused: NotPatient (only the record's patient may do this: sign with the patient's key)"
    );

    let with_role =
        ink::MessageResult::<core::result::Result<(), Error>>::Ok(Err(Error::RoleNotHeld(interfaces::Role::Provider)))
            .encode();
    assert!(matches!(refusal(&with_role), ClientError::Contract(Error::RoleNotHeld(interfaces::Role::Provider))));
}

fn dry_data(dry: &DryRun) -> Vec<u8> {
    match &dry.returned {
        Returned::Ok(data) | Returned::Reverted(data) => data.clone(),
    }
}

#[test]
fn a_revert_that_is_not_a_records_error_is_reverted() {
    let lang = ink::MessageResult::<()>::Err(ink::LangError::CouldNotReadInput).encode();
    let error = refusal(&lang);
    assert!(matches!(&error, ClientError::Reverted(text) if text.contains("CouldNotReadInput")), "{error}");
    let error = refusal(&[0, 1, 200]);
    assert!(matches!(&error, ClientError::Reverted(text) if text.contains("0x0001c8")), "{error}");
}

#[test]
fn a_failed_dry_run_names_the_module_error_and_the_debug_message() {
    let mut failed = result(0, Vec::new());
    failed.result = Err(DispatchError::Module { index: 8, error: [11, 0, 0, 0] });
    failed.debug_message = b"panicked at lib.rs\n".to_vec();
    let bytes = answer(failed);
    let named = |index: u8, error: u8| (index == 8 && error == 11).then(|| "Contracts::ContractTrapped".to_owned());
    let error = ContractResult::decode(&mut &bytes[..]).expect("decodes").into_dry_run(&named).expect_err("failed");
    assert_eq!(error.to_string(), "the chain refused the call: Contracts::ContractTrapped (panicked at lib.rs)");
    let unnamed = decode_answer(&bytes).expect_err("failed");
    assert!(unnamed.to_string().contains("module error 8/11"), "{unnamed}");

    let mut other = result(0, Vec::new());
    other.result = Err(DispatchError::Token(0));
    let error = decode_answer(&answer(other)).expect_err("failed");
    assert!(matches!(&error, ClientError::Dispatch(text) if text == "Token(0)"), "{error}");
}

#[test]
fn a_truncated_answer_is_a_decode_error_not_a_panic() {
    let bytes = answer(result(0, vec![0, 1, 2, 3]));
    for cut in [0, 1, 5, bytes.len() - 3] {
        assert!(ContractResult::decode(&mut &bytes[..cut]).is_err(), "cut at {cut}");
    }
}

fn opened_event() -> RecordOpened {
    RecordOpened {
        record: 9,
        patient: AccountId::from([1; 32]),
        accessor: AccountId::from([2; 32]),
        purpose: Purpose::Treatment,
        basis: Basis::Consent(4),
    }
}

fn emitted<E: ink::env::Event + Encode>(contract: Account, event: &E) -> ContractEvent {
    let signature = E::SIGNATURE_TOPIC.expect("records events are not anonymous");
    ContractEvent { contract, topics: vec![signature, [0; 32]], data: event.encode() }
}

#[test]
fn records_events_are_matched_by_signature_topic_and_decoded() {
    let opened = opened_event();
    assert_eq!(RecordsEvent::decode(&emitted(RECORDS, &opened)).expect("decodes"), Some(RecordsEvent::Opened(opened)));
    let erased = RecordErased { record: 9, patient: AccountId::from([1; 32]), erased_by: AccountId::from([2; 32]) };
    assert_eq!(RecordsEvent::decode(&emitted(RECORDS, &erased)).expect("decodes"), Some(RecordsEvent::Erased(erased)));
    let registered = RecordRegistered {
        record: 1,
        patient: AccountId::from([1; 32]),
        author: AccountId::from([3; 32]),
        class: DataClass::Labs,
        replaces: None,
    };
    let decoded = RecordsEvent::decode(&emitted(RECORDS, &registered)).expect("decodes");
    assert_eq!(decoded, Some(RecordsEvent::Registered(registered)));

    let unknown = ContractEvent { contract: RECORDS, topics: vec![[9; 32]], data: vec![1, 2] };
    assert_eq!(RecordsEvent::decode(&unknown).expect("not ours"), None);
    let anonymous = ContractEvent { contract: RECORDS, topics: Vec::new(), data: vec![1] };
    assert_eq!(RecordsEvent::decode(&anonymous).expect("not ours"), None);
    let mut broken = emitted(RECORDS, &opened_event());
    broken.data.truncate(10);
    assert!(matches!(RecordsEvent::decode(&broken), Err(ClientError::Decode { what: "a RecordOpened event", .. })));
}

#[test]
fn an_included_transaction_keeps_only_the_records_contracts_events() {
    let included = Included {
        block: BlockRef { number: 5, hash: [5; 32] },
        events: vec![
            (3, emitted([8; 32], &opened_event())),
            (4, ContractEvent { contract: RECORDS, topics: vec![[9; 32]], data: Vec::new() }),
            (6, emitted(RECORDS, &opened_event())),
        ],
    };
    assert_eq!(included.records_events(&RECORDS).expect("decodes"), vec![(6, RecordsEvent::Opened(opened_event()))]);
}

#[test]
fn subxt_errors_map_to_precise_variants() {
    assert!(matches!(subxt_error(subxt::Error::Other("boom".into())), ClientError::Rpc(text) if text.contains("boom")));
    let codec = subxt::Error::Codec(scale::Error::from("bad bytes"));
    assert!(matches!(subxt_error(codec), ClientError::Decode { .. }));
    let dropped = subxt::Error::Transaction(subxt::error::TransactionError::Dropped("pool full".into()));
    assert!(matches!(subxt_error(dropped), ClientError::NotFinalized(text) if text.contains("pool full")));
}

// ---- against the contract's metadata ----

/// The records contract's metadata: the file $HEALTHCHAIN_RECORDS_METADATA names, else scripts/build.sh's release
/// build if it is there and not older than the contract's source.
fn metadata() -> Option<serde_json::Value> {
    if let Some(path) = std::env::var_os("HEALTHCHAIN_RECORDS_METADATA") {
        let text = std::fs::read_to_string(&path).expect("HEALTHCHAIN_RECORDS_METADATA names a readable file");
        return Some(serde_json::from_str(&text).expect("HEALTHCHAIN_RECORDS_METADATA names contract metadata"));
    }
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| manifest.join("../target"));
    let path = target.join("release/contracts/records/records.json");
    let Ok(built) = std::fs::metadata(&path).and_then(|m| m.modified()) else {
        eprintln!("skipped: no release build of records at {} (run scripts/build.sh)", path.display());
        return None;
    };
    let source_dir = manifest.join("../contracts/records/src");
    let newest_source =
        std::fs::read_dir(&source_dir).ok()?.filter_map(|entry| entry.ok()?.metadata().ok()?.modified().ok()).max()?;
    if newest_source > built {
        eprintln!("skipped: {} is older than the records source (run scripts/build.sh)", path.display());
        return None;
    }
    serde_json::from_str(&std::fs::read_to_string(&path).ok()?).ok()
}

/// A SCALE decoder over the metadata's type registry: consumes one value of type `id` from `bytes`.
fn skip(types: &serde_json::Value, id: u64, bytes: &mut &[u8]) -> core::result::Result<(), String> {
    let entry = types
        .as_array()
        .and_then(|all| all.iter().find(|t| t["id"].as_u64() == Some(id)))
        .ok_or(format!("no type {id}"))?;
    let def = &entry["type"]["def"];
    let take = |bytes: &mut &[u8], n: usize| -> core::result::Result<(), String> {
        if bytes.len() < n {
            return Err(format!("{n} bytes wanted, {} left", bytes.len()));
        }
        *bytes = &bytes[n..];
        Ok(())
    };
    if let Some(primitive) = def["primitive"].as_str() {
        let n = match primitive {
            "bool" | "u8" | "i8" => 1,
            "u16" | "i16" => 2,
            "u32" | "i32" => 4,
            "u64" | "i64" => 8,
            "u128" | "i128" => 16,
            other => return Err(format!("primitive {other}")),
        };
        return take(bytes, n);
    }
    if let Some(composite) = def.get("composite") {
        for field in composite["fields"].as_array().into_iter().flatten() {
            skip(types, field["type"].as_u64().ok_or("field type")?, bytes)?;
        }
        return Ok(());
    }
    if let Some(variant) = def.get("variant") {
        let index = *bytes.first().ok_or("no variant index")?;
        take(bytes, 1)?;
        let chosen = variant["variants"]
            .as_array()
            .and_then(|all| all.iter().find(|v| v["index"].as_u64() == Some(u64::from(index))))
            .ok_or(format!("no variant {index}"))?;
        for field in chosen["fields"].as_array().into_iter().flatten() {
            skip(types, field["type"].as_u64().ok_or("field type")?, bytes)?;
        }
        return Ok(());
    }
    if let Some(sequence) = def.get("sequence") {
        let len = <Compact<u32>>::decode(bytes).map_err(|e| e.to_string())?.0;
        for _ in 0..len {
            skip(types, sequence["type"].as_u64().ok_or("sequence type")?, bytes)?;
        }
        return Ok(());
    }
    if let Some(array) = def.get("array") {
        for _ in 0..array["len"].as_u64().ok_or("array len")? {
            skip(types, array["type"].as_u64().ok_or("array type")?, bytes)?;
        }
        return Ok(());
    }
    if let Some(tuple) = def.get("tuple") {
        for field in tuple.as_array().into_iter().flatten() {
            skip(types, field.as_u64().ok_or("tuple type")?, bytes)?;
        }
        return Ok(());
    }
    Err(format!("unsupported type definition {def}"))
}

/// The type path (`Result`, `Option`, `records::types::Record`, ...) of the `T` inside the message's
/// `MessageResult<T>`.
fn returned_path(types: &serde_json::Value, message: &serde_json::Value) -> String {
    let find = |id: u64| types.as_array().and_then(|all| all.iter().find(|t| t["id"].as_u64() == Some(id))).cloned();
    let outer = find(message["returnType"]["type"].as_u64().expect("return type")).expect("outer type");
    let inner = find(outer["type"]["params"][0]["type"].as_u64().expect("T")).expect("inner type");
    let path: Vec<&str> = inner["type"]["path"].as_array().into_iter().flatten().filter_map(|p| p.as_str()).collect();
    let params: Vec<String> = inner["type"]["params"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| find(p["type"].as_u64()?))
        .map(|t| t["type"]["path"].as_array().and_then(|p| p.last()?.as_str().map(str::to_owned)).unwrap_or_default())
        .collect();
    format!("{}<{}>", path.join("::"), params.join(","))
}

#[test]
fn selectors_and_arguments_match_the_contract_metadata() {
    let Some(metadata) = metadata() else { return };
    let types = &metadata["types"];
    let messages = metadata["spec"]["messages"].as_array().expect("messages");
    let patient = [1u8; 32];
    // (message, our selector, our input, the argument names in order)
    type Case = (&'static str, [u8; 4], Vec<u8>, Vec<&'static str>);
    let cases: Vec<Case> = vec![
        (
            "register",
            input::REGISTER,
            input::register(patient, DataClass::Genomic, [3; 32], b"https://c/v1/blobs/0x03", Some(4)),
            vec!["patient", "class", "content_hash", "locator", "replaces"],
        ),
        ("open", input::OPEN, input::open(5, Purpose::PublicHealth), vec!["record", "purpose"]),
        ("erase", input::ERASE, input::erase(5), vec!["record"]),
        ("record", input::RECORD, input::record(5), vec!["id"]),
        ("disclosures", input::DISCLOSURES, input::disclosures(patient, 2, 50), vec!["patient", "from", "limit"]),
        (
            "can_open",
            input::CAN_OPEN,
            input::can_open(5, patient, Purpose::Research),
            vec!["record", "accessor", "purpose"],
        ),
    ];
    for (label, selector, encoded, arg_labels) in cases {
        let message = messages.iter().find(|m| m["label"] == label).unwrap_or_else(|| panic!("no message {label}"));
        assert_eq!(message["selector"].as_str(), Some(hex0x_encode(&selector).as_str()), "{label} selector");
        assert_eq!(&encoded[..4], &selector, "{label} input starts with its selector");
        let args = message["args"].as_array().expect("args");
        let labels: Vec<&str> = args.iter().filter_map(|a| a["label"].as_str()).collect();
        assert_eq!(labels, arg_labels, "{label} argument names and order");
        let mut rest = &encoded[4..];
        for arg in args {
            skip(types, arg["type"]["type"].as_u64().expect("arg type"), &mut rest)
                .unwrap_or_else(|e| panic!("{label}({}): {e}", arg["label"]));
        }
        assert!(rest.is_empty(), "{label}: {} bytes more than the arguments", rest.len());
    }
    let returned = |label: &str| returned_path(types, messages.iter().find(|m| m["label"] == label).expect("message"));
    assert_eq!(returned("open"), "Result<Basis,Error>");
    assert_eq!(returned("register"), "Result<,Error>", "Result<RecordId (u64), Error>");
    assert_eq!(returned("erase"), "Result<,Error>");
    assert_eq!(returned("can_open"), "Result<Basis,Error>");
    assert_eq!(returned("record"), "Option<Record>");
    assert_eq!(returned("disclosures"), "interfaces::paging::Page<Disclosure>");
}

#[test]
fn event_signature_topics_match_the_contract_metadata() {
    let Some(metadata) = metadata() else { return };
    let events = metadata["spec"]["events"].as_array().expect("events");
    let topic = |label: &str| {
        events.iter().find(|e| e["label"] == label).and_then(|e| e["signature_topic"].as_str()).map(str::to_owned)
    };
    let ours = [
        ("RecordRegistered", RecordRegistered::SIGNATURE_TOPIC),
        ("RecordEnteredInError", RecordEnteredInError::SIGNATURE_TOPIC),
        ("RecordOpened", RecordOpened::SIGNATURE_TOPIC),
        ("RecordErased", RecordErased::SIGNATURE_TOPIC),
    ];
    for (label, signature) in ours {
        assert_eq!(topic(label), signature.map(|s| hex0x_encode(&s)), "{label}");
    }
}

fn hex0x_encode(bytes: &[u8]) -> String {
    healthchain_format::hex0x::encode(bytes)
}
