/**
 * Hash history: the same URLs work from file:// in Electron and from the browser-mode server.
 *   #/new                 New run (optionally ?from=<runId> to start from a run's config)
 *   #/live                the latest active run (redirects to its live view)
 *   #/runs                History
 *   #/runs/:id            Run detail
 *   #/runs/:id/live       Live run
 *   #/compare?ids=a,b,c   Compare
 *   #/runs/:id?tab=pruning  Run detail, Pruning tab (distance slider, sweep, histograms)
 *   #/studies             Pruning studies (?new=1: the New study form)
 *   #/studies/:id         One study (?point=model|mode|rate: the point shown side by side)
 *   #/reproduce           Reproduce the paper (`sen-lab reproduce`): form, progress, results
 */
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import CompareView from './views/CompareView.vue';
import HistoryView from './views/HistoryView.vue';
import LiveRunView from './views/LiveRunView.vue';
import NewRunView from './views/NewRunView.vue';
import ReproduceView from './views/ReproduceView.vue';
import RunDetailView from './views/RunDetailView.vue';
import StudiesView from './views/StudiesView.vue';
import StudyView from './views/StudyView.vue';

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/runs' },
  { path: '/new', name: 'new', component: NewRunView, meta: { title: 'New run' } },
  { path: '/live', name: 'live-latest', component: LiveRunView, meta: { title: 'Live' } },
  { path: '/runs', name: 'history', component: HistoryView, meta: { title: 'History' } },
  { path: '/runs/:id', name: 'run', component: RunDetailView, props: true, meta: { title: 'Run' } },
  { path: '/runs/:id/live', name: 'live', component: LiveRunView, props: true, meta: { title: 'Live' } },
  { path: '/compare', name: 'compare', component: CompareView, meta: { title: 'Compare' } },
  { path: '/studies', name: 'studies', component: StudiesView, meta: { title: 'Pruning' } },
  { path: '/studies/:id', name: 'study', component: StudyView, props: true, meta: { title: 'Pruning study' } },
  { path: '/reproduce', name: 'reproduce', component: ReproduceView, meta: { title: 'Reproduce' } },
  { path: '/:pathMatch(.*)*', redirect: '/runs' },
];

export function createLabRouter() {
  const router = createRouter({ history: createWebHashHistory(), routes });
  router.afterEach((to) => {
    const title = typeof to.meta.title === 'string' ? to.meta.title : '';
    document.title = title ? `${title} · SEN Lab` : 'SEN Lab';
  });
  return router;
}
