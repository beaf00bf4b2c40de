import { addMessages, init } from "svelte-i18n";
import en from "./lib/i18n/en.json";
import ja from "./lib/i18n/ja.json";

addMessages("en", en);
addMessages("ja", ja);
init({ fallbackLocale: "en", initialLocale: "en" });
