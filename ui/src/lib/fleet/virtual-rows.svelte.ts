/**
 * Which rows of a long table to render: only those in (or near) the scrolled view, with
 * spacers standing in for the rest, so a fleet of 10,000 instances scrolls and filters as fast
 * as one of ten. A thin Svelte 5 binding over TanStack Virtual's framework-free core.
 */
import {
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type VirtualItem,
  Virtualizer,
} from "@tanstack/virtual-core";

export interface VirtualRowsOptions {
  /** Every row's height in pixels; the table's CSS fixes it. */
  rowHeight: number;
  /** Height of what sits above the first row inside the scroller (a sticky header). */
  headerHeight: number;
  /** Rows rendered beyond each edge of the view, so fast scrolling shows no gaps. */
  overscan?: number;
}

export class VirtualRows {
  items = $state<VirtualItem[]>([]);
  /** Space above the first rendered row and below the last one. */
  paddingTop = $state(0);
  paddingBottom = $state(0);

  #element: HTMLElement | null = null;
  #virtualizer: Virtualizer<HTMLElement, Element>;
  #headerHeight: number;

  constructor({ rowHeight, headerHeight, overscan = 12 }: VirtualRowsOptions) {
    this.#headerHeight = headerHeight;
    this.#virtualizer = new Virtualizer<HTMLElement, Element>({
      count: 0,
      getScrollElement: () => this.#element,
      estimateSize: () => rowHeight,
      overscan,
      scrollMargin: headerHeight,
      scrollPaddingStart: headerHeight,
      // Before layout (or where there is none) the scroller reports no height; assume the
      // window's, so the first rows render rather than none.
      observeElementRect: (instance, report) =>
        observeElementRect(instance, (rect) =>
          report(rect.height > 0 ? rect : { width: rect.width, height: globalThis.innerHeight }),
        ),
      observeElementOffset,
      scrollToFn: elementScroll,
      onChange: () => this.#publish(),
    });
  }

  /** Starts following `element`'s size and scrolling; returns the function that stops it. */
  attach(element: HTMLElement): () => void {
    this.#element = element;
    const detach = this.#virtualizer._didMount();
    this.#virtualizer._willUpdate();
    this.#publish();
    return () => {
      detach();
      this.#element = null;
    };
  }

  set count(count: number) {
    if (count === this.#virtualizer.options.count) return;
    this.#virtualizer.setOptions({ ...this.#virtualizer.options, count });
    this.#virtualizer._willUpdate();
    this.#publish();
  }

  /** Brings row `index` into view (below the sticky header), for keyboard moves. */
  scrollToIndex(index: number): void {
    this.#virtualizer.scrollToIndex(index, { align: "auto" });
  }

  #publish() {
    const items = this.#virtualizer.getVirtualItems();
    const total = this.#virtualizer.getTotalSize();
    const first = items[0];
    const last = items[items.length - 1];
    this.items = items;
    this.paddingTop = first ? first.start - this.#headerHeight : 0;
    this.paddingBottom = last ? Math.max(total - (last.end - this.#headerHeight), 0) : 0;
  }
}
