package io.jenkins.plugins.mesosagents.mesos;

import okhttp3.HttpUrl;

/**
 * One successful subscription: where calls go and with which stream id. Replaced on every
 * re-subscription.
 */
record Session(HttpUrl endpoint, String streamId, String frameworkId) {}
