//! Every scenario of `healthchain_tests::scenarios`, once on the in-process sandbox (ink_e2e `runtime_only`) and,
//! with the `node` feature, once on a substrate-contracts-node ($CONTRACTS_NODE or on PATH) that ink_e2e starts.

type E2EResult<T> = Result<T, Box<dyn std::error::Error>>;

macro_rules! on_both_backends {
    ($($scenario:ident),* $(,)?) => {
        mod sandbox {
            use super::E2EResult;
            $(
                #[ink_e2e::test(backend(runtime_only))]
                async fn $scenario(mut client: Client) -> E2EResult<()> {
                    healthchain_tests::scenarios::$scenario::$scenario(&mut client).await;
                    Ok(())
                }
            )*
        }

        #[cfg(feature = "node")]
        mod node {
            use super::E2EResult;
            $(
                #[ink_e2e::test]
                async fn $scenario(mut client: Client) -> E2EResult<()> {
                    healthchain_tests::scenarios::$scenario::$scenario(&mut client).await;
                    Ok(())
                }
            )*
        }
    };
}

on_both_backends!(credentialing, consent_and_records, claims, custody, faults);
