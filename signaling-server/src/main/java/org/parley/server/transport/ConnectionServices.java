package org.parley.server.transport;

import java.util.Set;
import java.util.concurrent.Executor;
import org.parley.server.api.Router;
import org.parley.server.attachments.AttachmentService;
import org.parley.server.auth.DeviceAuthenticator;
import org.parley.server.config.ServerConfig;
import org.parley.server.connections.ClientConnection;
import org.parley.server.linking.ProvisioningService;
import org.parley.server.messages.DeliveryService;
import org.parley.server.metrics.Readiness;
import org.parley.server.metrics.ServerMetrics;
import org.parley.server.presence.PresenceService;

/** What the network handlers hand requests and connections to. */
public record ConnectionServices(
    Router router,
    DeviceAuthenticator authenticator,
    DeliveryService delivery,
    PresenceService presence,
    ServerMetrics metrics,
    Executor workers,
    Set<ClientConnection> openConnections,
    int maxFrameBytes,
    int idleSeconds,
    ProvisioningService provisioning,
    long provisioningLifetimeMillis,
    AttachmentService attachments,
    ServerConfig.Attachments attachmentLimits,
    ServerConfig.Connections connectionLimits,
    Readiness readiness) {}
