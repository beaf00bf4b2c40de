import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { resolveLanguage, startI18n } from "./lib/i18n";
import { applyTheme } from "./lib/settings/settings.svelte";

// Until the backend tells us the saved choice, speak the browser engine's language.
startI18n(resolveLanguage("system", navigator.language));
applyTheme("system");

const target = document.getElementById("app");
if (target) mount(App, { target });
