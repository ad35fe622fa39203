import type { Directive } from 'vue';

/** `v-focus`: focuses (and selects the text of) an input as soon as it appears. */
export const vFocus: Directive<HTMLInputElement | HTMLTextAreaElement> = {
  mounted(el) {
    el.focus();
    el.select();
  },
};
