import { Mark, mergeAttributes } from '@tiptap/core';

/**
 * Marks text the AI wrote and a person accepted: which model, and when
 * (ISO 8601). Stored in the shared document like any mark (a formatting
 * attribute on the Y.XmlText), so attribution survives sync, history,
 * restore and export.
 */
export const AI_AUTHORED_MARK = 'aiAuthored';

export interface AiAuthoredAttributes {
  readonly model: string;
  readonly time: string;
}

export const AiAuthored = Mark.create({
  name: AI_AUTHORED_MARK,
  // Typing right after accepted text is the person's own writing, not the AI's.
  inclusive: false,
  addAttributes() {
    return {
      model: { default: null, parseHTML: (el) => el.getAttribute('data-ai-model'), renderHTML: (a) => (a['model'] ? { 'data-ai-model': a['model'] } : {}) },
      time: { default: null, parseHTML: (el) => el.getAttribute('data-ai-time'), renderHTML: (a) => (a['time'] ? { 'data-ai-time': a['time'] } : {}) },
    };
  },
  parseHTML() {
    return [{ tag: 'span[data-ai-authored]' }];
  },
  renderHTML({ HTMLAttributes, mark }) {
    const model = typeof mark.attrs['model'] === 'string' ? mark.attrs['model'] : 'an AI model';
    const time = typeof mark.attrs['time'] === 'string' ? ` on ${mark.attrs['time']}` : '';
    return ['span', mergeAttributes(HTMLAttributes, { 'data-ai-authored': '', class: 'ai-authored', title: `Written by ${model}${time}` }), 0];
  },
});
