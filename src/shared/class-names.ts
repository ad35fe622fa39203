/**
 * Names of a data set's classes, for figures and views: Fashion-MNIST names its ten classes, MNIST
 * keeps its digits, and an IDX folder may bring its own in a `classes.txt` (read by the core's
 * data loader, src/core/data/class-names.ts). Pure: no Node, no DOM.
 */

/** Fashion-MNIST's labels 0..9 (Xiao et al. 2017). */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** The class names a built-in data set is known by; undefined for MNIST (digits) and folders. */
export function builtinClassNames(dataset: string): readonly string[] | undefined {
  return dataset === 'fashion-mnist' ? FASHION_MNIST_CLASSES : undefined;
}

/** The class names a view shows for a run: its folder's classes.txt (RunDetail.classNames), else the built-in ones. */
export function runClassNames(run: {
  classNames?: readonly string[];
  config: { dataset: { name: string } };
}): readonly string[] | undefined {
  return run.classNames ?? builtinClassNames(run.config.dataset.name);
}

/** Class j by name when there are names for it, else its number ("Sneaker", "7"). */
export function className(names: readonly string[] | undefined, j: number): string {
  return names?.[j] ?? String(j);
}
