package io.jenkins.plugins.mesosagents.testcluster.demo;

import io.jenkins.plugins.mesosagents.engine.AgentIdentity;
import io.jenkins.plugins.mesosagents.engine.AgentNamer;
import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.SecretValue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Names new agents as the cloud does ({@code mesos-<template>-<8 hex>}) and gives each the secret
 * Jenkins would: an HMAC of the node name under a key of this controller run, as {@code
 * JnlpAgentReceiver.SLAVE_SECRET.mac(name)} is. Called on the engine's loop; the controller takes
 * the secret when it adds the node.
 */
final class NodeIdentities implements AgentNamer {
    private final Mac mac;
    private final Map<String, SecretValue> issued = new ConcurrentHashMap<>();

    NodeIdentities() throws GeneralSecurityException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
    }

    @Override
    public AgentIdentity next(AgentTemplate t) {
        String prefix = t.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        String name = "mesos-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] digest;
        synchronized (mac) {
            digest = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
        }
        SecretValue secret = SecretValue.of(HexFormat.of().formatHex(digest));
        issued.put(name, secret);
        return new AgentIdentity(name, secret);
    }

    /** The secret issued for a planned agent, handed over once. */
    SecretValue take(String name) {
        return issued.remove(name);
    }
}
