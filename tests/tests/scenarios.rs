//! Every scenario of `healthchain_tests::scenarios`, once on the in-process sandbox and, with the `node` feature,
//! once on a substrate-contracts-node ($CONTRACTS_NODE or on PATH) started for it. The contracts are the locked
//! release builds, built once per run (see `healthchain_tests::contracts`).

macro_rules! on_both_backends {
    ($($scenario:ident),* $(,)?) => {
        mod sandbox {
            $(
                #[test]
                fn $scenario() {
                    healthchain_tests::on_sandbox(|mut client| async move {
                        healthchain_tests::scenarios::$scenario::$scenario(&mut client).await
                    });
                }
            )*
        }

        #[cfg(feature = "node")]
        mod node {
            $(
                #[test]
                fn $scenario() {
                    healthchain_tests::on_node(|mut client| async move {
                        healthchain_tests::scenarios::$scenario::$scenario(&mut client).await
                    });
                }
            )*
        }
    };
}

on_both_backends!(
    credentialing,
    consent_and_records,
    access,
    delegation,
    guardian,
    claims,
    custody,
    faults,
    governance
);
