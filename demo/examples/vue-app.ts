/**
 * A Vue 3 page that embeds <paysg-checkout> and reacts to a verified payment. Vue passes unknown
 * props to custom elements as attributes and turns `onPaysgPaid` into a `paysg-paid` listener.
 */
import { createApp, h, ref } from 'vue';
import type { PaysgPaidDetail, PaysgPaidEvent } from '../../widget/index.js';

createApp({
  setup() {
    const receipt = ref<PaysgPaidDetail | null>(null);
    return () =>
      h('main', [
        h('h1', 'Renew your licence (Vue)'),
        h('paysg-checkout', {
          endpoint: '/paysg',
          item: 'licence-renewal',
          'payer-name': 'Tan Ah Kow',
          onPaysgPaid: (event: PaysgPaidEvent) => (receipt.value = event.detail),
        }),
        h('p', { id: 'vue-status', role: 'status' }, receipt.value ? `Thank you: payment ${receipt.value.referenceId} received.` : 'Not paid yet.'),
      ]);
  },
}).mount('#root');
