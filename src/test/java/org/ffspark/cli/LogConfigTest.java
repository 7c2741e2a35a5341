package org.ffspark.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/** The runs' logging configuration keeps Spark's known harmless warnings off the console, and only those. */
class LogConfigTest {
    private static final String BLOCK_MANAGER = "org.apache.spark.storage.BlockManager";

    @Test
    void aBroadcastRemovedTwiceIsNotReportedButOtherBlockWarningsAre() throws Exception {
        LoggerConfig blocks = configuration().getLoggerConfig(BLOCK_MANAGER);
        assertTrue(blocks.isFiltered(warning("Asked to remove block broadcast_17_piece25, which does not exist")));
        assertTrue(blocks.isFiltered(warning("Asked to remove block broadcast_3, which does not exist")));
        assertFalse(blocks.isFiltered(warning("Asked to remove block rdd_4_1, which does not exist")));
        assertFalse(blocks.isFiltered(warning("Failed to fetch remote block broadcast_2_piece0 from BlockManagerId")));
    }

    private static LogEvent warning(String message) {
        return Log4jLogEvent.newBuilder().setLoggerName(BLOCK_MANAGER).setLevel(Level.WARN)
                .setMessage(new SimpleMessage(message)).build();
    }

    private static Configuration configuration() throws Exception {
        File file = new File("conf/log4j2.properties");
        try (InputStream in = new FileInputStream(file)) {
            Configuration config = new PropertiesConfigurationFactory()
                    .getConfiguration(new LoggerContext("log-config-test"), new ConfigurationSource(in, file));
            config.initialize();
            return config;
        }
    }
}
