import { init } from "svelte-i18n";
// Registers every catalogue, as the app does.
import "./lib/i18n";

init({ fallbackLocale: "en", initialLocale: "en" });
