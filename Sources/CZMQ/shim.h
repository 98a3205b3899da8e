#ifndef CZMQ_SHIM_H
#define CZMQ_SHIM_H
#include <zmq.h>

// ZMQ_ZAP_ENFORCE_DOMAIN is a draft option: zmq.h hides it unless ZMQ_BUILD_DRAFT_API is defined,
// which would also declare draft functions the installed library may lack. Its value is fixed
// (libzmq 4.2.3 and later accept it at run time); delete this once the option leaves draft.
static inline int czmq_zap_enforce_domain(void) { return 93; }

#endif
