/**
 * The lifecycle of an ECharts plot adapter in a component: created on the template element when
 * mounted, resized with the element (ResizeObserver), disposed before unmount.
 */
import { onBeforeUnmount, onMounted, type Ref } from 'vue';

export interface ChartPlot {
  resize(): void;
  dispose(): void;
}

/**
 * `create` builds the plot on the element and gives it its first data; `afterResize` runs after
 * every resize. Returns the current plot (undefined before mount and after unmount).
 */
export function useChart<P extends ChartPlot>(
  el: Readonly<Ref<HTMLElement | null>>,
  create: (el: HTMLElement) => P,
  afterResize?: (plot: NoInfer<P>) => void,
): () => P | undefined {
  let plot: P | undefined;
  let observer: ResizeObserver | undefined;

  onMounted(() => {
    if (!el.value) return;
    plot = create(el.value);
    observer = new ResizeObserver(() => {
      if (!plot) return;
      plot.resize();
      afterResize?.(plot);
    });
    observer.observe(el.value);
  });

  onBeforeUnmount(() => {
    observer?.disconnect();
    plot?.dispose();
    plot = undefined;
  });

  return () => plot;
}
