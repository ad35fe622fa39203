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
 *   #/sweeps              Sweeps: the New sweep form, the list, ?id=<sweepId> its trainings live
 */
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { useRunsStore } from './stores/runs';
import HistoryView from './views/HistoryView.vue';

/*
 * History is the landing view ('/' redirects to it) and small: it ships in the entry chunk, so a
 * cold start on #/runs needs no second round of requests. Every other view is its own chunk,
 * loaded on first visit (pixi.js and echarts live only in the chunks of the views that draw with
 * them). Keep those views out of eager imports here and in the shell (App.vue and its components).
 */
const CompareView = () => import('./views/CompareView.vue');
const LiveRunView = () => import('./views/LiveRunView.vue');
const NewRunView = () => import('./views/NewRunView.vue');
const ReproduceView = () => import('./views/ReproduceView.vue');
const RunDetailView = () => import('./views/RunDetailView.vue');
const StudiesView = () => import('./views/StudiesView.vue');
const StudyView = () => import('./views/StudyView.vue');
const SweepsView = () => import('./views/SweepsView.vue');

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/runs' },
  { path: '/new', name: 'new', component: NewRunView, meta: { title: 'New run' } },
  { path: '/live', name: 'live-latest', component: LiveRunView, meta: { title: 'Live' } },
  // starts the runs store (it loads once) before the shell mounts, not when the view's setup runs
  {
    path: '/runs',
    name: 'history',
    component: HistoryView,
    beforeEnter: () => void useRunsStore(),
    meta: { title: 'History' },
  },
  { path: '/runs/:id', name: 'run', component: RunDetailView, props: true, meta: { title: 'Run' } },
  { path: '/runs/:id/live', name: 'live', component: LiveRunView, props: true, meta: { title: 'Live' } },
  { path: '/compare', name: 'compare', component: CompareView, meta: { title: 'Compare' } },
  { path: '/studies', name: 'studies', component: StudiesView, meta: { title: 'Pruning' } },
  { path: '/studies/:id', name: 'study', component: StudyView, props: true, meta: { title: 'Pruning study' } },
  { path: '/reproduce', name: 'reproduce', component: ReproduceView, meta: { title: 'Reproduce' } },
  { path: '/sweeps', name: 'sweeps', component: SweepsView, meta: { title: 'Sweeps' } },
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
