import { fireEvent, within } from "@testing-library/svelte";

/**
 * Confirms a previewed change as a user does: types what the preview asks for (the target it
 * names, when the change can alter resources), then presses Run.
 */
export async function confirmChange(preview: HTMLElement, testid: string): Promise<void> {
  for (const [field, value] of [
    ["why", "sshd is down on the bastion"],
    ["rollback", "restore sshd_config from its backup"],
  ]) {
    const box = within(preview).queryByTestId(`${testid}-${field}`) as HTMLInputElement | null;
    if (box) await fireEvent.input(box, { target: { value } });
  }
  const input = within(preview).queryByTestId(`${testid}-confirm`) as HTMLInputElement | null;
  if (input) await fireEvent.input(input, { target: { value: input.dataset.expected ?? "" } });
  await fireEvent.click(within(preview).getByTestId(`${testid}-run`));
}
