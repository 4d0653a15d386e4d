// The words of the movement lifecycle (actions on a movement, and their timeline entries), Chinese
// and English, kept beside the components that use them.
export const ACTION_WORDS: Record<string, { zh: string; en: string }> = {
  consignment_edit: { zh: '修改运输信息', en: 'Edited' },
  consignment_extend: { zh: '延长时限', en: 'Deadline extended' },
  consignment_handover: { zh: '换车转运', en: 'Handed over' },
  consignment_close: { zh: '结案', en: 'Closed' },
  consignment_cancel: { zh: '撤销', en: 'Cancelled' },
};

/** An action's name in the page's language; an unknown code as it is. */
export const actionWord = (code: string | undefined, en: boolean): string => {
  const w = code ? ACTION_WORDS[code] : undefined;
  return w ? (en ? w.en : w.zh) : (code ?? '');
};
