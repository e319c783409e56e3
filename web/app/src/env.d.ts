declare const __DEV_WALLET__: boolean;
