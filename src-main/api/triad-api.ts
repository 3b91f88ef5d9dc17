import { CHANNELS, type CallResult, type Channel, type ChannelParsedInput, type EventName, type EventPayload } from '../../src-shared/ipc-contract';
import { describeValidationIssues } from '../../src-shared/chat';
import { TriadError } from '../../src-shared/errors';
import type { AppServices } from '../app-services';
import { SpaceTokenNotice } from '../llm/providers/huggingface/space-token-notice';
import { toErrorShape } from '../llm/response-handler';
import type { ApiContext, Caller, ChannelHandlers, Handler } from './api-context';
import { DATASET_HANDLERS } from './dataset-handlers';
import { announceDeployments, DEPLOY_HANDLERS } from './deploy-handlers';
import { LEADERBOARD_HANDLERS } from './leaderboard-handlers';
import { REVIEW_HANDLERS } from './review-handlers';
import { ROUTER_HANDLERS } from './router-handlers';
import { chatStart, compareStart, compareVote, conversationsList, conversationsTranscript, feedbackSave } from './chat-handlers';
import { removeDemoWorkspace, saveContentFilter, saveLocalModels, saveOpenAi, saveSpace, setCompanyContext, setFlag, settingsView } from './settings-handlers';
import { StreamRegistry } from './stream-registry';
import { teamConfigure, teamGet, teamSignIn, teamSignOut, teamTestConnection } from './team-handlers';
import { TierStatusTracker } from './tier-status';
import { toOneTrainingRunView, TRAINING_HANDLERS } from './training-handlers';
import { announceEvaluations, EVALUATION_HANDLERS } from './evaluation-handlers';

/** The analysts' handlers. */
const CORE_HANDLERS: ChannelHandlers<Exclude<Channel, keyof typeof REVIEW_HANDLERS | keyof typeof LEADERBOARD_HANDLERS | keyof typeof DATASET_HANDLERS | keyof typeof TRAINING_HANDLERS | keyof typeof EVALUATION_HANDLERS | keyof typeof DEPLOY_HANDLERS | keyof typeof ROUTER_HANDLERS>> = {
  'chat.start': chatStart,
  'chat.cancel': async (context, input, caller) => ({ cancelled: context.streams.cancel(input.streamId, caller.clientId) }),
  'conversations.list': (context) => conversationsList(context),
  'conversations.transcript': conversationsTranscript,
  'compare.start': compareStart,
  'compare.vote': compareVote,
  'feedback.save': feedbackSave,
  'settings.get': (context) => settingsView(context),
  'settings.setFlag': setFlag,
  'settings.saveSpace': saveSpace,
  'settings.saveLocalModels': saveLocalModels,
  'settings.saveOpenAi': saveOpenAi,
  'settings.saveContentFilter': saveContentFilter,
  'settings.setCompanyContext': setCompanyContext,
  'settings.removeDemoWorkspace': removeDemoWorkspace,
  'secrets.set': async ({ services, status }, input) => {
    await services.secrets.set(input.name, input.value);
    status.refresh();
    return services.secrets.status();
  },
  'secrets.clear': async ({ services, status }, input) => {
    await services.secrets.delete(input.name);
    status.refresh();
    return services.secrets.status();
  },
  'status.get': (context) => context.status.view(),
  'team.get': (context) => teamGet(context),
  'team.configure': teamConfigure,
  'team.testConnection': teamTestConnection,
  'team.signIn': teamSignIn,
  'team.signOut': (context) => teamSignOut(context),
};

/** One handler per channel of the contract; the compiler checks none is missing. */
const HANDLERS: ChannelHandlers<Channel> = { ...CORE_HANDLERS, ...REVIEW_HANDLERS, ...LEADERBOARD_HANDLERS, ...DATASET_HANDLERS, ...TRAINING_HANDLERS, ...EVALUATION_HANDLERS, ...DEPLOY_HANDLERS, ...ROUTER_HANDLERS };

/** The main-process side of the contract, shared by the Electron IPC binding and the browser-mode server. */
export interface TriadApi {
  /** Validates the input, runs the channel's handler, and returns the result or the error as data. Never throws. */
  call(channel: string, input: unknown, caller: Caller): Promise<CallResult<unknown>>;
  /** A window or tab went away: its streams stop. */
  disconnect(clientId: string): void;
  close(): void;
}

/** Options of {@link createTriadApi}. */
export interface TriadApiOptions {
  /**
   * The operator the API acts for while nobody is signed in to a team: the embedded store's local operator
   * (the default). While an operator is signed in to Supabase, every call acts for them.
   */
  userId?: string;
  /** Sends an event to every connected client. */
  broadcast: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
}

/**
 * Builds the API. `broadcast` sends an event to every connected client (status and team changes); per-call
 * events (stream parts) go to the caller only. Each call acts for the current operator (see ApiContext.userId).
 */
export function createTriadApi(services: AppServices, options: TriadApiOptions): TriadApi {
  const streams = new StreamRegistry();
  const status = new TierStatusTracker(
    services.flags,
    () => services.store.backend,
    services.breakers,
    (view) => options.broadcast('status.changed', view),
    new SpaceTokenNotice(services.secrets, services.store.spaces),
  );
  const withoutTeam = options.userId ?? services.localOperator.id;
  const context: ApiContext = {
    services,
    get userId() {
      return services.team.signedInOperatorId() ?? withoutTeam;
    },
    streams,
    status,
  };
  const stopTeamEvents = services.team.onChange((view) => {
    options.broadcast('team.changed', view);
    // The store in use may have changed with the session.
    status.refresh();
  });
  // Views are made one after another, so that the events go out in the order the runs changed.
  let trainingViews = Promise.resolve();
  const stopTrainingEvents = services.training.onChange((run) => {
    trainingViews = trainingViews
      .then(async () => options.broadcast('training.changed', await toOneTrainingRunView(services, run)))
      .catch((error: unknown) => services.logger.warn({ err: error, runId: run.id }, 'could not announce a training run change'));
  });
  const stopDeployEvents = announceDeployments(services, (view) => options.broadcast('deploy.changed', view));
  const stopEvaluationEvents = announceEvaluations(services, options.broadcast);

  return {
    async call(channel, input, caller) {
      try {
        if (!Object.hasOwn(CHANNELS, channel)) {
          throw new TriadError({ code: 'validation_failed', message: `unknown channel '${String(channel).slice(0, 100)}'` });
        }
        const name = channel as Channel;
        const parsed = CHANNELS[name].input.safeParse(input ?? {});
        if (!parsed.success) {
          throw new TriadError({ code: 'validation_failed', message: `${name}: ${describeValidationIssues(parsed.error)}` });
        }
        const handler = HANDLERS[name] as Handler<Channel>;
        const value = await handler(context, parsed.data as ChannelParsedInput<Channel>, caller);
        return { ok: true, value };
      } catch (error) {
        const shape = services.redactor.redactDeep(toErrorShape(error, {}));
        if (shape.code === 'internal') services.logger.error({ err: error, channel }, 'handler failed');
        return { ok: false, error: shape };
      }
    },
    disconnect: (clientId) => streams.cancelClient(clientId),
    close: () => {
      stopTeamEvents();
      stopTrainingEvents();
      stopDeployEvents();
      stopEvaluationEvents();
      streams.cancelAll();
    },
  };
}
