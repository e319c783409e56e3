//! Who may ship to whom (DSCSA trading partners): manufacturer -> distributor -> pharmacy, and returns pharmacy ->
//! distributor -> manufacturer. A return to a manufacturer goes only to the unit's own manufacturer.

use interfaces::{Role, RoleSet};

/// A leg the sender's and recipient's roles allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leg {
    /// Manufacturer -> Distributor, Distributor -> Pharmacy, or Pharmacy -> Distributor (a return).
    Open,
    /// Distributor -> Manufacturer (a return): only to the manufacturer of each unit shipped.
    ToManufacturer,
}

/// Holds `roles` any trading-partner role (Manufacturer, Distributor, Pharmacy)?
pub fn is_trading_partner(roles: RoleSet) -> bool {
    roles.contains(Role::Manufacturer) || roles.contains(Role::Distributor) || roles.contains(Role::Pharmacy)
}

/// The leg from an account holding `from` to one holding `to`, if any. When several legs fit, the open one wins.
pub fn leg(from: RoleSet, to: RoleSet) -> Option<Leg> {
    let open = [
        (Role::Manufacturer, Role::Distributor),
        (Role::Distributor, Role::Pharmacy),
        (Role::Pharmacy, Role::Distributor),
    ];
    if open.iter().any(|(f, t)| from.contains(*f) && to.contains(*t)) {
        Some(Leg::Open)
    } else if from.contains(Role::Distributor) && to.contains(Role::Manufacturer) {
        Some(Leg::ToManufacturer)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(roles: &[Role]) -> RoleSet {
        RoleSet::from_slice(roles)
    }

    #[test]
    fn forward_flow_and_returns() {
        let (m, d, p) = (set(&[Role::Manufacturer]), set(&[Role::Distributor]), set(&[Role::Pharmacy]));
        assert_eq!(leg(m, d), Some(Leg::Open));
        assert_eq!(leg(d, p), Some(Leg::Open));
        assert_eq!(leg(p, d), Some(Leg::Open));
        assert_eq!(leg(d, m), Some(Leg::ToManufacturer));
    }

    #[test]
    fn skipping_a_tier_or_staying_in_it_is_refused() {
        let (m, d, p) = (set(&[Role::Manufacturer]), set(&[Role::Distributor]), set(&[Role::Pharmacy]));
        assert_eq!(leg(m, p), None);
        assert_eq!(leg(p, m), None);
        assert_eq!(leg(m, m), None);
        assert_eq!(leg(d, d), None);
        assert_eq!(leg(p, p), None);
        assert_eq!(leg(set(&[Role::Regulator]), d), None);
        assert_eq!(leg(m, set(&[Role::Provider, Role::Regulator])), None);
        assert_eq!(leg(RoleSet::EMPTY, RoleSet::EMPTY), None);
    }

    #[test]
    fn several_roles_pick_the_open_leg() {
        let both = set(&[Role::Manufacturer, Role::Distributor]);
        assert_eq!(leg(set(&[Role::Distributor]), both), Some(Leg::ToManufacturer), "D -> D is no leg");
        assert_eq!(leg(set(&[Role::Manufacturer]), both), Some(Leg::Open));
        assert_eq!(leg(both, set(&[Role::Pharmacy])), Some(Leg::Open));
    }

    #[test]
    fn trading_partners() {
        assert!(is_trading_partner(set(&[Role::Pharmacy, Role::Provider])));
        assert!(!is_trading_partner(set(&[Role::Regulator, Role::Provider, Role::Payer])));
        assert!(!is_trading_partner(RoleSet::EMPTY));
    }
}
