import type { Editor } from '@tiptap/react';
import { BetweenHorizontalEnd, BetweenHorizontalStart, BetweenVerticalEnd, BetweenVerticalStart, Columns3, PanelTop, Rows3, Trash2 } from 'lucide-react';
import { IconButton } from './IconButton.js';

/** Row, column and header-row commands; shown only while the cursor is in a table. */
export function TableControls({ editor, headerRow }: { editor: Editor; headerRow: boolean }) {
  const chain = () => editor.chain().focus();
  return (
    <div className="toolbar__group table-controls" role="group" aria-label="Table" data-testid="table-controls">
      <IconButton icon={BetweenHorizontalStart} title="Add row above" testId="table-add-row-before" onPress={() => chain().addRowBefore().run()} />
      <IconButton icon={BetweenHorizontalEnd} title="Add row below" testId="table-add-row-after" onPress={() => chain().addRowAfter().run()} />
      <IconButton icon={Rows3} title="Delete row" testId="table-delete-row" onPress={() => chain().deleteRow().run()} />
      <IconButton icon={BetweenVerticalStart} title="Add column left" testId="table-add-column-before" onPress={() => chain().addColumnBefore().run()} />
      <IconButton icon={BetweenVerticalEnd} title="Add column right" testId="table-add-column-after" onPress={() => chain().addColumnAfter().run()} />
      <IconButton icon={Columns3} title="Delete column" testId="table-delete-column" onPress={() => chain().deleteColumn().run()} />
      <IconButton icon={PanelTop} title="Header row" testId="table-toggle-header-row" active={headerRow} onPress={() => chain().toggleHeaderRow().run()} />
      <IconButton icon={Trash2} title="Delete table" testId="table-delete" onPress={() => chain().deleteTable().run()} />
    </div>
  );
}
