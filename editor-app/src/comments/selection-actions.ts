/**
 * Where the selection's actions ("Comment", and "Suggest edit" for
 * commenters) go. Beside the page at the selection's first line when there is
 * room for them there (desktop); otherwise (phones, narrow windows: the page
 * takes the width, SPEC UI3) they float inside the window, across its width,
 * just below the selected words — or above them when the window ends first —
 * so they never cover the words nor fall off the side.
 */
export type SelectionActionsPlacement =
  | { readonly floating: false; readonly top: number; readonly left: number }
  | { readonly floating: true; readonly top: number };

/** Room the side buttons need right of the page ("✎ Suggest edit" is the widest). */
export const SIDE_ACTIONS_WIDTH_PX = 150;
/** Height of the floating row (44 px touch targets + a little). */
export const FLOATING_ACTIONS_HEIGHT_PX = 48;
/** Space between the words and the row: clear of a phone's selection handles, which hang under the words. */
export const FLOATING_GAP_PX = 28;
const WINDOW_MARGIN_PX = 8;

export interface SelectionBox {
  /** The page (the editable surface), viewport coordinates. */
  readonly pageRight: number;
  /** Top of the selection's first line and bottom of its last line, viewport coordinates. */
  readonly top: number;
  readonly bottom: number;
}

export function placeSelectionActions(selection: SelectionBox, viewport: { readonly width: number; readonly height: number }): SelectionActionsPlacement {
  const sideLeft = selection.pageRight + 8;
  if (sideLeft + SIDE_ACTIONS_WIDTH_PX <= viewport.width) return { floating: false, top: selection.top, left: sideLeft };
  const below = selection.bottom + FLOATING_GAP_PX;
  if (below + FLOATING_ACTIONS_HEIGHT_PX <= viewport.height - WINDOW_MARGIN_PX) return { floating: true, top: below };
  const lowest = viewport.height - FLOATING_ACTIONS_HEIGHT_PX - WINDOW_MARGIN_PX;
  const above = selection.top - FLOATING_GAP_PX - FLOATING_ACTIONS_HEIGHT_PX;
  if (above >= WINDOW_MARGIN_PX && above <= lowest) return { floating: true, top: above };
  // The words fill the window (a long selection) or were scrolled past it: the row stays inside the window, at its bottom.
  return { floating: true, top: Math.max(WINDOW_MARGIN_PX, lowest) };
}
