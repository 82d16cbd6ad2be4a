// libmosquitto (Debian libmosquitto-dev): the MQTT client library. Only MQTTClient imports this module.
#include <mosquitto.h>
