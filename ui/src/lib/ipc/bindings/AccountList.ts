import type { AccountContext } from "./AccountContext";
import type { ProfileDiscovery } from "./ProfileDiscovery";
export type AccountList = { practice: AccountContext, aws: ProfileDiscovery, awsConfigFile: string | null, awsCredentialsFile: string | null, };
