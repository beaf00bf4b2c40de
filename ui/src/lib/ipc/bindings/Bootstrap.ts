import type { Settings } from "./Settings";
import type { SettingsProblem } from "./SettingsProblem";
export type Bootstrap = { version: string, osLocale: string | null, settings: Settings, settingsProblem: SettingsProblem | null, };
