/**
 * A Vue 3 page that embeds <paysg-checkout> and reacts to a verified payment. Vue sets the
 * element's known properties (`item`, `payerName`) as properties and turns `onPaysgPaid` into a
 * `paysg-paid` listener. In single-file components, tell Vue's compiler the tag is a custom
 * element (`compilerOptions.isCustomElement`, see docs/widget.md).
 */
import { createApp, h, ref } from 'vue';
import type { PaysgPaidDetail, PaysgPaidEvent } from '../../widget/index.js';
import { chosenService, SERVICES, useService } from './services.js';

createApp({
  setup() {
    const item = ref(chosenService());
    const receipt = ref<PaysgPaidDetail | null>(null);
    return () =>
      h('main', [
        h('h1', 'Licence services (Vue)'),
        h('label', { for: 'service' }, 'Service'),
        h(
          'select',
          {
            id: 'service',
            value: item.value,
            onChange: (event: Event) =>
              (item.value = useService((event.target as HTMLSelectElement).value)),
          },
          Object.entries(SERVICES).map(([id, name]) => h('option', { value: id }, name)),
        ),
        h('paysg-checkout', {
          endpoint: '/paysg',
          item: item.value,
          payerName: 'Tan Ah Kow',
          onPaysgPaid: (event: PaysgPaidEvent) => (receipt.value = event.detail),
        }),
        h(
          'p',
          { id: 'vue-status', role: 'status' },
          receipt.value
            ? `Thank you: payment ${receipt.value.referenceId} received.`
            : 'Not paid yet.',
        ),
      ]);
  },
}).mount('#root');
