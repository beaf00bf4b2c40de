import type { AppError } from "./bindings/AppError";
import type { ErrorCode } from "./bindings/ErrorCode";

/** An error from the backend, as `{ code, message }`; the UI branches on `code` only. */
export class IpcError extends Error implements AppError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "IpcError";
    this.code = code;
  }
}

function isAppError(value: unknown): value is AppError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AppError).code === "string" &&
    typeof (value as AppError).message === "string"
  );
}

/** Normalizes whatever a failed call threw into an IpcError. */
export function toIpcError(thrown: unknown): IpcError {
  if (thrown instanceof IpcError) return thrown;
  if (isAppError(thrown)) return new IpcError(thrown.code, thrown.message);
  return new IpcError("Internal", thrown instanceof Error ? thrown.message : String(thrown));
}
