window.deferredRan = true;
