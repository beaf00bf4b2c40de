/**
 * The first half of every change the Incident screen makes: the request is described (API
 * call, AWS CLI, cost) before anything is sent, and only the described request can be
 * confirmed. Run Command and Automation runs both build on it.
 */
import { type ChangePreview, type IpcError, toIpcError } from "../ipc";

export class PreviewedChange<Request, Busy extends string> {
  /** What will run, once asked for; cleared when the request changes. */
  preview = $state<ChangePreview | null>(null);
  /** The request the preview describes: what a confirmation sends. */
  previewed = $state<Request | null>(null);
  error = $state<IpcError | null>(null);
  busy = $state<Busy | "preview" | null>(null);

  /** Describes `request` through `ask` without sending it. */
  protected async describeWith(
    request: Request,
    ask: (request: Request) => Promise<ChangePreview>,
  ): Promise<void> {
    this.busy = "preview";
    this.error = null;
    try {
      this.preview = await ask(request);
      this.previewed = request;
    } catch (thrown) {
      this.error = toIpcError(thrown);
    } finally {
      this.busy = null;
    }
  }

  cancelPreview(): void {
    this.preview = null;
    this.previewed = null;
  }
}
